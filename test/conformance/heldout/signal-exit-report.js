// ferry-lines: 1,3
// ferry-here: 29#3
// A batch job that registers a signal-exit handler part way through (signal-exit patches
// process.emit and process.reallyExit when its handler is first added) and prints its report on
// exit, whatever way it exits.
const { onExit } = require('signal-exit');

const jobs = ['resize', 'upload', 'index', 'notify', 'archive'];
const done = [];
let removeHandler;

function registerReport() {
  removeHandler = onExit((code, signal) => {
    console.log(`report: ${done.length}/${jobs.length} done (${done.join(' ')}), exit ${code} ${signal}`);
  });
  console.log('report handler registered');
}

function runNext() {
  const job = jobs[done.length];
  if (job === undefined) {
    console.log('all jobs finished');
    process.exit(0); // through signal-exit's process.reallyExit, then Node's own
  }
  setTimeout(() => {
    done.push(job);
    console.log(`job ${job} finished`);
    if (done.length === 2) registerReport();
    runNext();
  }, 120);
}
runNext();
process.on('exit', () => {
  if (typeof removeHandler !== 'function') console.log('no report handler');
});
