// ferry-lines: 2,5
// Timers scheduling immediates and further timers, with arguments.
let n = 0;
function step(label) {
  n++;
  console.log(`step ${n} from ${label}`);
  if (n >= 12) return;
  if (n % 3 === 0) setImmediate(step, 'immediate');
  else setTimeout(step, 30, 'timeout');
}
setTimeout(step, 30, 'start');
