// ferry-lines: 2,4
// Timers the program still holds after they stopped: an interval it cleared, a timeout that fired
// (and is refreshed later to fire again), an unref'd one cleared. They restore as they were: still
// stopped, still the same objects, refresh() still re-arms the fired one.
let fired = 0;
const poll = setInterval(() => console.log('poll'), 60);
const once = setTimeout(() => console.log('once fired', ++fired), 10);
const quiet = setTimeout(() => console.log('never'), 5000).unref();
clearTimeout(quiet);
const held = { poll, once, quiet };
setTimeout(() => clearInterval(held.poll), 100);
let tick = 0;
const driver = setInterval(() => {
  tick++;
  console.log('tick', tick, 'poll cleared', held.poll._destroyed, 'quiet refed', held.quiet.hasRef());
  if (tick === 3) held.once.refresh();
  if (tick === 5) clearInterval(driver);
}, 200);
