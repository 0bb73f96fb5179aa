// ferry-lines: 2,4
// An interval and timeouts interleave in a fixed order; remaining times survive the restore.
// (Each timeout falls halfway between two interval ticks: intervals drift a little on every tick.)
let ticks = 0;
const iv = setInterval(() => {
  console.log(`interval ${++ticks}`);
  if (ticks === 7) clearInterval(iv);
}, 100);
setTimeout(() => console.log('timeout at 150'), 150);
setTimeout(() => console.log('timeout at 450', 'with', 'args'), 450);
setTimeout((a, b) => console.log(`timeout at 550 with args ${a} ${b}`), 550, 'x', 42);
