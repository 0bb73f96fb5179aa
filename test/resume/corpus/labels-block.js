'use strict';
// A labelled block (not a loop) left by break from inside the resumed region.
function check(x) { console.log('check', x); return x % 3 === 0; }
function scan(xs) {
  let hits = 0;
  for (const x of xs) {
    found: {
      if (!check(x)) break found; // @bp 2 5
      hits++;
      console.log('hit', x);
    }
    console.log('after', x);
  }
  return hits;
}
console.log(scan([1, 3, 4, 6, 7, 9, 10]));
