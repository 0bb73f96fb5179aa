// ferry-lines: 2,4
// debug: namespaced loggers, enabled for some namespaces, writing through a custom log function to stdout.
process.env.DEBUG_HIDE_DATE = 'true'; // the date would differ between runs
const debug = require('debug');
debug.enable('app:*,-app:noisy');
debug.log = (...args) => console.log(...args);
const http = debug('app:http');
const noisy = debug('app:noisy');
http.useColors = false;
noisy.useColors = false;
http.diff = 0;
let n = 0;
const iv = setInterval(() => {
  n++;
  http.diff = 0;
  http('request %d of %s', n, 'GET /');
  noisy('never shown %d', n);
  console.log(n, http.enabled, noisy.enabled);
  if (n === 6) clearInterval(iv);
}, 200);
