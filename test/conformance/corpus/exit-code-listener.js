// ferry-lines: 1,3
// ferry-exit: 4
// The exit code set before the checkpoint and an 'exit' listener both survive: same final code.
process.exitCode = 4;
let total = 0;
process.on('exit', (code) => console.log(`exiting with ${code}, total ${total}`));
let step = 0;
const iv = setInterval(() => {
  step++;
  total += step;
  console.log(step, total);
  if (step === 7) clearInterval(iv);
}, 60);
