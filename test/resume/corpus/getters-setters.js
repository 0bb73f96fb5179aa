'use strict';
// Getter and setter frames: the caller's pending property access/assignment takes their result.
class Temp {
  constructor() { this.c = 0; this.history = []; }
  get f() {
    const v = this.c * 9 / 5 + 32; // @bp 2
    return v;
  }
  set f(v) {
    this.history.push(v); // @bp 1 3
    this.c = (v - 32) * 5 / 9;
  }
}
const t = new Temp();
for (const v of [50, 68, 86, 104]) {
  t.f = v;
  const f = t.f;
  console.log('c', t.c.toFixed(1), 'f', f);
}
console.log(t.history.join(','));
