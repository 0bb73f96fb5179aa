'use strict';
// Classic for loop with let: resumed mid-iteration, then the update and the test run as usual.
function step(i) { return i * i; } // @bp 3 7
let acc = 0;
for (let i = 0; i < 10; i++) {
  const sq = step(i);
  acc += sq; // @bp 2 9
  console.log(i, sq, acc);
}
console.log('done', acc);
