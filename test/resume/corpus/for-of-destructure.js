'use strict';
// for-of with a destructuring head over an array of distinct objects.
const pairs = [{ k: 'a', v: 1 }, { k: 'b', v: 2 }, { k: 'c', v: 3 }, { k: 'd', v: 4 }];
function show(k, v) { console.log(`${k}=${v}`); return v * 10; }
function main() {
  let acc = 0;
  for (const { k, v } of pairs) {
    acc += show(k, v); // @bp 2 4
    console.log('acc', acc);
  }
  return acc;
}
console.log(main());
