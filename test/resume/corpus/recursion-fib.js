'use strict';
// Tree recursion; each call is its own statement (`fib(n - 1) + fib(n - 2)` would be refused
// when paused in the second call: the first one's result is gone).
let calls = 0;
function fib(n) {
  calls++; // @bp 5 40
  if (n < 2) return n;
  const a = fib(n - 1);
  const b = fib(n - 2);
  return a + b;
}
console.log('fib', fib(12), 'calls', calls);
