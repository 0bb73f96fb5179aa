// ferry-lines: 1,3
// Accessors on classes (instance and static) and on plain objects, with their backing state.
class Temperature {
  static get unit() { return 'Celsius'; }
  constructor(c) { this._c = c; }
  get fahrenheit() { return this._c * 9 / 5 + 32; }
  set fahrenheit(f) { this._c = (f - 32) * 5 / 9; }
}
const t = new Temperature(20);
const counter = { _n: 0, get next() { return ++this._n; }, set reset(v) { this._n = v; } };
let step = 0;
const iv = setInterval(() => {
  step++;
  t.fahrenheit += 9;
  if (step === 4) counter.reset = 100;
  console.log(step, Temperature.unit, t.fahrenheit.toFixed(1), t._c.toFixed(1), counter.next);
  if (step === 7) clearInterval(iv);
}, 60);
