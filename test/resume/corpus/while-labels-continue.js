'use strict';
// while + do-while with labelled continue from inside the resumed partial iteration.
function emit(i, j) { console.log('emit', i, j); return (i + j) % 3; }
function run() {
  let i = 0, hits = 0;
  rows: while (i < 4) {
    i++;
    let j = 0;
    do {
      j++;
      if (emit(i, j) === 0) continue rows; // @bp 2 5
      hits++;
    } while (j < 3);
    console.log('row done', i);
  }
  return hits;
}
console.log('hits', run());
