'use strict';
// reduce: the accumulator comes back as the inner frame's return value.
function combine(acc, x, i) {
  console.log('combine', acc, x, i); // @bp 1 3
  return acc * 2 + x;
}
const r = [1, 0, 1, 1, 0, 1].reduce((acc, x, i) => combine(acc, x, i), 0);
console.log('bits', r);
