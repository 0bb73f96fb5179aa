'use strict';
// After resume the inner frame throws; the outer restored frame's catch handles it, finally runs.
function risky(n) {
  console.log('risky', n); // @bp 2 3
  if (n % 2 === 1) throw new Error('odd ' + n);
  return n * 2;
}
function middle(n) {
  try {
    return risky(n) + 1;
  } finally {
    console.log('middle finally', n);
  }
}
function outer() {
  const results = [];
  for (let n = 0; n < 4; n++) {
    try {
      results.push(middle(n));
    } catch (e) {
      console.log('caught', e.message);
      results.push(-1);
    }
  }
  return results;
}
console.log(outer().join(','));
