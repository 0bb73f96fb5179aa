// Holds files by number, started plainly (`node held-files-plain.js`): its first file gets the
// number right after Node 20's own, which Node 22 holds from its start. After step 2 it waits for
// a file `go` in its directory: the test checkpoints it there, then makes `go`.
const fs = require('fs');
const log = fs.openSync('app.log', 'a');
const data = fs.openSync('data.txt', 'w');
let step = 0;
const iv = setInterval(() => {
  if (step === 2 && !fs.existsSync('go')) return;
  step++;
  fs.writeSync(log, `step ${step}\n`);
  fs.writeSync(data, `[${step}]`);
  console.log(`step ${step}: fds ${log} ${data}`);
  if (step === 5) {
    clearInterval(iv);
    [log, data].forEach((fd) => fs.closeSync(fd));
  }
}, 20);
