'use strict';
// Labelled break/continue across nested loops, targeting loops outside and inside the resumed region.
function note(i, j) { console.log('visit', i, j); return i * j; }
function grid() {
  let found = 0;
  outer: for (let i = 0; i < 6; i++) {
    inner: for (let j = 0; j < 6; j++) {
      if (j > i) continue outer;
      if (i === 5 && j === 2) break outer;
      const p = note(i, j); // @bp 4 9 14
      if (p === 6) continue inner;
      if (p > 8) { found += 100; break inner; }
      found += p;
    }
    console.log('row', i, found);
  }
  return found;
}
console.log('found', grid());
