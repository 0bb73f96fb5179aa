// ferry-lines: 2,4
// pino: a JSON logger writing synchronously to stdout, with a child logger and bindings.
const pino = require('pino');
const log = pino({ base: { app: 'ferry-demo' }, timestamp: false }, pino.destination({ dest: 1, sync: true }));
const child = log.child({ worker: 7 });
let n = 0;
const iv = setInterval(() => {
  n++;
  (n % 2 ? log : child).info({ n }, 'tick');
  if (n === 7) { clearInterval(iv); child.warn('done'); }
}, 200);
