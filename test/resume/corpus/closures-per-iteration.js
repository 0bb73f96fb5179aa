'use strict';
// Closures created in later iterations capture their own iteration binding.
function tick(i) { return i + 100; }
const fns = [];
for (let i = 0; i < 5; i++) {
  const t = tick(i); // @bp 2 3
  fns.push(() => i * 10 + t);
}
console.log(fns.map((f) => f()).join(' '));
