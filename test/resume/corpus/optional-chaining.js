'use strict';
// Optional chaining around the pending call.
const registry = {
  find(k) {
    console.log('find', k); // @bp 1 3
    return k === 'x' ? null : { v: k.length, name: k };
  },
};
function lookup(keys) {
  const got = [];
  for (const k of keys) {
    const hit = registry?.find(k)?.name ?? 'none';
    got.push(hit);
  }
  return got;
}
console.log(lookup(['ab', 'x', 'abc', 'q']).join(','));
