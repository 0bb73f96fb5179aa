'use strict';
// Mutual recursion with the pending call inside a return expression.
function isEven(n) { if (n === 0) return true; return isOdd(n - 1); }
function isOdd(n) {
  if (n === 0) { console.log('base odd'); return false; } // @bp 1
  return isEven(n - 1);
}
console.log('even 300?', isEven(300), 'even 301?', isEven(301));
