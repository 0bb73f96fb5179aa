'use strict';
// A long synchronous compute loop that never reaches an idle point.
function mix(h, x) { return (Math.imul(h ^ x, 16777619) >>> 0); }
let h = 2166136261;
for (let i = 0; i < 200000; i++) {
  h = mix(h, i & 0xff);
  if (i % 50000 === 0) {
    console.log('progress', i, h); // @bp 1 2 4
  }
}
console.log('hash', h);
