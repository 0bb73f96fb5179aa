'use strict';
// Arrow functions: lexical this inside a method, resumed inside the arrow.
class Counter {
  constructor() { this.count = 0; this.name = 'c'; }
  runAll(xs) {
    const add = (x) => {
      this.count += x; // @bp 2 3
      console.log(this.name, this.count);
      return this.count;
    };
    let last = 0;
    for (const x of xs) last = add(x);
    return last;
  }
}
console.log(new Counter().runAll([1, 2, 3, 4]));
