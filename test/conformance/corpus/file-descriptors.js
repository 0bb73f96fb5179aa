// ferry-lines: 2,4
// Files the program keeps open by descriptor number: an appending log, a file written from the
// start with the offset moving on, and a file read a few bytes at a time. They are reopened under
// the same numbers at the same offsets.
const fs = require('fs');
fs.writeFileSync('input.txt', 'abcdefghijklmnopqrstuvwxyz0123456789');
const log = fs.openSync('app.log', 'a');
const data = fs.openSync('data.txt', 'w');
const input = fs.openSync('input.txt', 'r');
const buffer = Buffer.alloc(4);
let step = 0;
const iv = setInterval(() => {
  step++;
  fs.writeSync(log, `step ${step}\n`);
  fs.writeSync(data, `[${step}]`);
  const n = fs.readSync(input, buffer, 0, 4, null);
  console.log(`step ${step}: read "${buffer.toString("utf8", 0, n)}"`);
  if (step === 7) {
    clearInterval(iv);
    [log, data, input].forEach((fd) => fs.closeSync(fd));
  }
}, 60);
