// ferry-lines: 2,4
// The program appends to a log file on every tick: the file must end up identical.
const fs = require('fs');
let n = 0;
const iv = setInterval(() => {
  n++;
  fs.appendFileSync('app.log', `entry ${n} ${'*'.repeat(n)}\n`);
  console.log(`wrote entry ${n}`);
  if (n === 8) {
    clearInterval(iv);
    console.log(`log has ${fs.readFileSync('app.log', 'utf8').split('\n').length - 1} lines`);
  }
}, 60);
