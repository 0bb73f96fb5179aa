'use strict';
// A callback run by Array.prototype.forEach: the remaining iterations continue after restore.
const seen = [];
function visit(x, i) {
  seen.push(x * 2); // @bp 1 3 5
  console.log('visit', i, x);
}
const data = [3, 1, 4, 1, 5, 9];
data.forEach((x, i) => visit(x, i));
console.log(seen.join(','));
