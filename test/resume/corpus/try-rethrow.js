'use strict';
// Exception thrown after restore propagates through two restored frames to the third.
function fail(depth) {
  console.log('fail at', depth); // @bp 1
  throw new RangeError('too deep: ' + depth);
}
function dive(d) {
  if (d === 3) return fail(d);
  const r = dive(d + 1);
  console.log('never', r);
  return r;
}
try {
  dive(0);
} catch (e) {
  console.log(e.name, e.message);
}
console.log('after');
