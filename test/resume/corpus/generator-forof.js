'use strict';
// A generator frame on the stack, driven by a for-of loop in the caller.
function* countdown(n) {
  while (n > 0) {
    const label = 'T-' + n;
    console.log('yielding', label); // @bp 2 4
    yield label;
    n--;
  }
  console.log('liftoff');
}
for (const l of countdown(5)) console.log('got', l);
console.log('end');
