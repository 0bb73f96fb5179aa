'use strict';
// Checkpoint Here in a method of one of two counters whose closure contexts hold equal values (the
// same name, the same count): only the stack tells which context the paused frame runs in. After
// the restore each counter goes on from its own count.
function makeCounter(name) {
  let n = 0;
  return {
    inc() {
      n++; // @bp 1 3
      console.log(name, 'now', n);
    },
    get: () => n,
  };
}
const a = makeCounter('counter');
const b = makeCounter('counter');
a.inc();
b.inc();
a.inc();
b.inc();
console.log('a', a.get(), 'b', b.get());
