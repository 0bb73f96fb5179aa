'use strict';
// A derived constructor after super(): `this` is restored, the rest of the constructor runs.
class Base { constructor(n) { this.n = n; } }
function weight(n) { console.log('weight', n); return n * 1.5; }
class Heavy extends Base {
  constructor(n) {
    super(n);
    this.w = weight(n); // @bp 1 3
    this.tag = 'h' + this.n;
  }
}
const hs = [];
for (let n = 1; n <= 3; n++) hs.push(new Heavy(n));
console.log(JSON.stringify(hs));
