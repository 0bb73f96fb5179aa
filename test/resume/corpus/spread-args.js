'use strict';
// The pending call is an argument next to already-evaluated plain arguments.
function sum3(a, b, c) { return a + b + c; }
function mid(x) { console.log('mid', x); return x * 2; } // @bp 1 3
function main() {
  const xs = [];
  for (let i = 0; i < 4; i++) {
    const base = i + 1;
    xs.push(sum3(base, mid(i), 7));
  }
  return Math.max(...xs);
}
console.log(main());
