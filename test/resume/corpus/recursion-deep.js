'use strict';
// 1000 frames of recursion: every frame gets its own variant instance (one cached code).
function depth(n) {
  if (n === 0) {
    console.log('bottom'); // @bp 1
    return 0;
  }
  const below = depth(n - 1);
  if (n % 250 === 0) console.log('unwinding', n, below);
  return below + n;
}
console.log('sum', depth(1000));
