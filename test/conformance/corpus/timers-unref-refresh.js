// ferry-lines: 2,4
// An unref'd interval does not keep the program alive; a refreshed timeout restarts its countdown.
let beats = 0;
const heartbeat = setInterval(() => beats++, 25);
heartbeat.unref();
let work = 0;
const watchdog = setTimeout(() => console.log('watchdog fired after the work'), 150);
const iv = setInterval(() => {
  work++;
  if (work <= 4) watchdog.refresh();
  console.log(`work ${work}, heart ${beats > 0 ? 'beating' : 'still'}, watchdog ${watchdog.hasRef() ? 'armed' : 'off'}, heartbeat ref ${heartbeat.hasRef()}`);
  if (work === 7) clearInterval(iv);
}, 60);
