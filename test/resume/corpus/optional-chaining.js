'use strict';
// Optional chaining around the pending call.
const registry = { find(k) { console.log('find', k); return k === 'x' ? null : { v: k.length, name: k }; } }; // @bp 1 3
function lookup(keys) {
  const got = [];
  for (const k of keys) {
    const hit = registry?.find(k)?.name ?? 'none';
    got.push(hit);
  }
  return got;
}
console.log(lookup(['ab', 'x', 'abc', 'q']).join(','));
