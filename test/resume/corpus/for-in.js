'use strict';
// for-in: the remaining keys follow from the current key (keys are unique).
const scores = { ann: 3, bob: 5, cy: 8, dee: 13, eve: 21 };
function total(obj) {
  let sum = 0;
  for (const name in obj) {
    sum += obj[name]; // @bp 1 3 5
    console.log(name, sum);
  }
  return sum;
}
console.log('total', total(scores));
