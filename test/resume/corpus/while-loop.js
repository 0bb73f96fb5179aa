'use strict';
// while loop, resumed both at its test and inside the body.
function collatz(n) {
  let steps = 0;
  while (n !== 1) { // @bp 3 10
    n = n % 2 === 0 ? n / 2 : 3 * n + 1;
    steps++;
    if (steps % 5 === 0) console.log('at', steps, n); // @bp 2
  }
  return steps;
}
console.log('steps', collatz(27));
