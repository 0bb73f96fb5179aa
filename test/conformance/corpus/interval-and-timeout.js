// ferry-lines: 2,5
// An interval and timeouts interleave in a fixed order; remaining times survive the restore.
// (Each timeout is set by an interval tick to fall halfway to the next one: an interval is
// rescheduled from when it ran, so timeouts set at the start would drift against it.)
let ticks = 0;
const iv = setInterval(() => {
  console.log(`interval ${++ticks}`);
  if (ticks === 1) setTimeout(() => console.log('timeout after tick 1'), 150);
  if (ticks === 3) setTimeout((...args) => console.log('timeout after tick 3 with', ...args), 150, 'args', 42);
  if (ticks === 4) setTimeout(() => console.log('timeout after tick 4, due after tick 5'), 450);
  if (ticks === 7) clearInterval(iv);
}, 300); // every timer 150 ms from its neighbours: their order holds under load
