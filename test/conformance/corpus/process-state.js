// ferry-lines: 1,3
// Process state: exit code, title, env, cwd, argv, listeners on process.
process.exitCode = 0;
process.env.FERRY_SAMPLE = 'kept';
process.on('exit', (code) => console.log(`exit handler, code ${code}`));
let step = 0;
const iv = setInterval(() => {
  step++;
  console.log(step, process.env.FERRY_SAMPLE, process.argv.length, require('path').basename(process.cwd()).startsWith('ferry-oracle'), process.listenerCount('exit'));
  if (step === 7) clearInterval(iv);
}, 60);
