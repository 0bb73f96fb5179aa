// ferry-refuse: a child process
// A program that holds a running child process cannot move: the capture is refused, naming it.
const { spawn } = require('child_process');
const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
console.log('started child');
setInterval(() => {}, 1000);
process.on('exit', () => child.kill());
