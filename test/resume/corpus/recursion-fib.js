'use strict';
// Tree recursion with the pending call on the right of a binary expression.
let calls = 0;
function fib(n) {
  calls++; // @bp 5 40
  if (n < 2) return n;
  return fib(n - 1) + fib(n - 2);
}
console.log('fib', fib(12), 'calls', calls);
