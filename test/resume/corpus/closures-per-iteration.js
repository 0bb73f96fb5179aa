'use strict';
// Closures created in iterations after the resumed one capture their own iteration binding.
function tick(i) { return i + 100; }
const fns = [];
for (let i = 0; i < 6; i++) {
  const t = tick(i); // @bp 1 2 3
  if (i >= 3) fns.push(() => i * 10 + t);
}
console.log(fns.map((f) => f()).join(' '));
