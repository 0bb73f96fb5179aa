// ferry-lines: 2,3
// Modules required for the first time after the checkpoint: a sibling file (a request without its
// extension), a JSON file, and the files of a package that its loaded main requires on first use
// (`../format`: a directory's index.js, which requires a JSON file of its own). Restored here with
// the program's files deleted, or on a host without them, nothing of these is on disk but what
// Ferry carried.
const steps = require('./lazy-require/steps');

let round = 0;
function next() {
  round++;
  console.log(steps.run(round));
  if (round < 6) setTimeout(next, 50);
}
setTimeout(next, 50);
