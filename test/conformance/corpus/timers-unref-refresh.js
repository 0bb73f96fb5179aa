// ferry-lines: 2,4
// An unref'd interval does not keep the program alive; a refreshed timeout restarts its countdown
// (from an interval tick, so both count from the same instant; 100 ms from any tick, so that the
// oracle's own short stop cannot make the interval overdue and shift it against the timeout).
let beats = 0;
const heartbeat = setInterval(() => beats++, 25);
heartbeat.unref();
let work = 0;
const watchdog = setTimeout(() => console.log('watchdog fired after the work'), 500);
const iv = setInterval(() => {
  work++;
  if (work <= 4) watchdog.refresh();
  console.log(`work ${work}, heart ${beats > 0 ? 'beating' : 'still'}, watchdog ${watchdog.hasRef() ? 'armed' : 'off'}, heartbeat ref ${heartbeat.hasRef()}`);
  if (work === 7) clearInterval(iv);
}, 200);
