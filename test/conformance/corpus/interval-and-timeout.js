// ferry-lines: 2,5
// An interval and timeouts interleave in a fixed order; remaining times survive the restore.
// (Due times are kept 40 ms or more apart: an interval drifts a little on every tick.)
let ticks = 0;
const iv = setInterval(() => {
  console.log(`interval ${++ticks}`);
  if (ticks === 8) clearInterval(iv);
}, 100);
setTimeout(() => console.log('timeout at 250'), 250);
setTimeout(() => console.log('timeout at 540', 'with', 'args'), 540);
setTimeout((a, b) => console.log(`timeout at 660 with args ${a} ${b}`), 660, 'x', 42);
