'use strict';
// Nested calls three deep inside a loop; the innermost and each caller resume.
function leaf(x) {
  const y = x * 3; // @bp 1 4
  console.log('leaf', x, y);
  return y + 1;
}
function middle(x) {
  const a = leaf(x) * 2;
  console.log('middle', a);
  return a - 1;
}
function top(n) {
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += middle(i); // @bp 3
    console.log('top', i, total);
  }
  return total;
}
console.log('result', top(5));
