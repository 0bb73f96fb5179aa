// ferry-lines: 2,4
// pino serialising errors made after the restore by functions made before it: the logged stack
// names the program's file, line and column (an uninterrupted run writes the same bytes).
const pino = require('pino');
const log = pino({ base: undefined, timestamp: false }, pino.destination({ dest: 1, sync: true }));

class Store {
  constructor() { this.rows = new Map(); }
  read(key) {
    if (!this.rows.has(key)) throw new Error(`no row ${key}`, { cause: { key } });
    return this.rows.get(key);
  }
}

function handler(store) {
  return function handle(key) {
    try {
      return store.read(key);
    } catch (err) {
      log.error({ err, key }, 'read failed');
      return null;
    }
  };
}

const handle = handler(new Store());
let n = 0;
const iv = setInterval(() => {
  n++;
  log.info({ n, value: handle(`k${n}`) }, 'tick');
  if (n === 6) clearInterval(iv);
}, 60);
