// ferry-lines: 2,4
// A closure variable assigned only inside a direct eval's text: no assignment to `level` shows in
// the script, so the variable must still be read at the stop, not taken as fixed.
var level = 1;
function current() {
  return level;
}
function run(code) {
  eval(code);
}
globalThis.levels = { current: current };
var step = 0;
var timer = setInterval(function () {
  step++;
  run('level = level * 2 + ' + step);
  console.log(step, globalThis.levels.current());
  if (step === 6) clearInterval(timer);
}, 20);
