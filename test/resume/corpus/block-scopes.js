'use strict';
// Nested blocks with shadowed let/const: each block's bindings come back from its own scope.
function show(...xs) { console.log(...xs); return xs.length; }
function f(x) {
  const a = x + 1;
  {
    const a = x * 2;
    let b = a + 1;
    {
      let a = 'inner';
      b += show(a, b); // @bp 1 2
      show('still', a);
    }
    show('mid', a, b);
  }
  return a;
}
console.log(f(3));
console.log(f(4));
