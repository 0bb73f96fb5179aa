'use strict';
// Checkpoint Here with bindings in their temporal dead zone, which a debugger's scope object
// throws on from V8 12 (Node 22): `total` of a paused frame's own statement, and `later`, a
// module binding declared below the call that the closure `report` holds. Paused at a module's
// top level, under the CommonJS loader's frames (nameless from V8 12).
function step(n) {
  console.log('step', n); // @bp 1
  return n * 2;
}

function run() {
  const total = step(1) + step(2);
  return total;
}

const report = () => console.log('later is', later);
console.log('total', run());
const later = 'set';
report();
