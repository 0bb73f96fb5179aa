// ferry-lines: 2
// Class members with computed keys that name module-level constants no function keeps alive
// (`[symbolObservable]() {}` as in RxJS): the restored class must see the same key.
const symbolObservable = Symbol('observable');
const prefix = 'get';
class Stream {
  constructor(items) { this.items = items; }
  [symbolObservable]() { return this; }
  [`${prefix}First`]() { return this.items[0]; }
  static [prefix + 'Kind']() { return 'stream'; }
}
const stream = new Stream([7, 8]);
const key = Object.getOwnPropertySymbols(Stream.prototype)[0];
let step = 0;
const iv = setInterval(() => {
  step++;
  console.log(step, stream[key]() === stream, key.toString(), stream.getFirst(), Stream.getKind(), Object.getOwnPropertyNames(Stream.prototype).join());
  if (step === 4) clearInterval(iv);
}, 50);
