'use strict';
// Map and Set state in locals survives the restore.
function tally(words) {
  const counts = new Map();
  const firsts = new Set();
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    counts.set(w, (counts.get(w) || 0) + 1);
    firsts.add(w[0]); // @bp 3 6
    console.log(w, counts.get(w), firsts.size);
  }
  return [...counts].map(([k, v]) => k + v).join(' ') + ' ' + [...firsts].join('');
}
console.log(tally(['apple', 'bob', 'apple', 'cat', 'bob', 'apple', 'dog']));
