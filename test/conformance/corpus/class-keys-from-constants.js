// ferry-lines: 2,4
// Class members keyed by a module's constant symbols and strings, as minipass and undici write them:
// instance fields (`[FLOWING] = false`) and a method using `super` (`[EMIT](d) { super.emit(…) }`),
// both evaluated again when the class is made at the restore, before the module's variables would
// otherwise have their values. New instances after the restore get the same keys.
const { EventEmitter } = require('events');
const EMIT = Symbol('emitData');
const FLOWING = Symbol('flowing');
const COUNT = 'count';
class Pipe extends EventEmitter {
  [FLOWING] = false;
  [COUNT] = 0;
  write(d) { this[FLOWING] = true; this[COUNT]++; return this[EMIT](d); }
  [EMIT](d) { return super.emit('data', d); }
}
const first = new Pipe();
first.on('data', (d) => console.log('data', d, first[FLOWING], first.count));
let n = 0;
const iv = setInterval(() => {
  first.write(++n);
  if (n % 2 === 0) {
    const fresh = new Pipe();
    fresh.on('data', (d) => console.log('  fresh', d, fresh[FLOWING], Object.getOwnPropertySymbols(fresh).length, fresh.count));
    fresh.write(n * 10);
  }
  if (n === 6) clearInterval(iv);
}, 20);
