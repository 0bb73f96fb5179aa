'use strict';
// The module's own top-level code is a live frame too; module-level state is restored.
const config = { scale: 3 };
let counter = 0;
function bump(by) {
  counter += by * config.scale; // @bp 2 4
  return counter;
}
for (let i = 0; i < 5; i++) {
  bump(i);
  console.log('counter', counter);
}
if (counter > 10) console.log('big', counter);
else console.log('small', counter);
