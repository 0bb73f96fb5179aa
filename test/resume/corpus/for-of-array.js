'use strict';
// for-of over an array with distinct elements: the position is the element's index.
const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
function shout(w) { return w.toUpperCase() + '!'; }
let n = 0;
for (const w of words) {
  const loud = shout(w); // @bp 2 5
  n += loud.length;
  console.log(loud, n);
}
console.log('chars', n);
