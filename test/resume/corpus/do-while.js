'use strict';
// do-while resumed in its body; the test then decides as in the original.
function digits(n) {
  const out = [];
  do {
    out.push(n % 10); // @bp 1 3
    n = Math.floor(n / 10);
    console.log('left', n);
  } while (n > 0);
  return out.reverse().join('');
}
console.log(digits(9075321));
