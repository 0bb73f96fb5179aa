// ferry-lines: 2,4
// An interval and timeouts interleave in a fixed order; remaining times survive the restore.
// (Each timeout falls halfway between two interval ticks, 100 ms from either: an interval drifts a
// little on every tick, more on a loaded machine.)
let ticks = 0;
const iv = setInterval(() => {
  console.log(`interval ${++ticks}`);
  if (ticks === 7) clearInterval(iv);
}, 200);
setTimeout(() => console.log('timeout at 300'), 300);
setTimeout(() => console.log('timeout at 900', 'with', 'args'), 900);
setTimeout((a, b) => console.log(`timeout at 1100 with args ${a} ${b}`), 1100, 'x', 42);
