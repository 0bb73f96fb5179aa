// ferry-lines: 1,3
// Modules that require each other (a cycle), one replacing module.exports, one keeping state.
const a = require('./module-cycle/a');
const b = require('./module-cycle/b');
let step = 0;
const iv = setInterval(() => {
  step++;
  a.ping();
  console.log(step, a.count(), b.describe(), require('./module-cycle/a') === a, typeof require('./module-cycle/b'));
  if (step === 7) clearInterval(iv);
}, 60);
