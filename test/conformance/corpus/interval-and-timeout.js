// ferry-lines: 2,5
// An interval and timeouts interleave in a fixed order; remaining times survive the restore.
// (Each timeout is set by an interval tick to fall halfway to the next one: an interval is
// rescheduled from when its tick began, a timeout from when it is set, so a tick held up by more
// than the 250 ms margin would swap them even uninterrupted. What held ticks up that long was the
// capture agent's compile, run through the inspector inside a callback; the oracles install it
// before the first line now (attachBeforeStart). What is left is the machine: a 5 ms interval's
// longest gap measured 20-56 ms at load 17, a fifth of the margin.)
let ticks = 0;
const iv = setInterval(() => {
  console.log(`interval ${++ticks}`);
  if (ticks === 1) setTimeout(() => console.log('timeout after tick 1'), 250);
  if (ticks === 3) setTimeout((...args) => console.log('timeout after tick 3 with', ...args), 250, 'args', 42);
  if (ticks === 4) setTimeout(() => console.log('timeout after tick 4, due after tick 5'), 750);
  if (ticks === 7) clearInterval(iv);
}, 500); // every timer 250 ms from its neighbours: a tick's own callback can be held up that long under load
