'use strict';
// for-of over distinct objects, destructured in the body (a destructuring head hides the element,
// so its position could not be recovered).
const pairs = [{ k: 'a', v: 1 }, { k: 'b', v: 2 }, { k: 'c', v: 3 }, { k: 'd', v: 4 }];
function show(k, v) { console.log(`${k}=${v}`); return v * 10; }
function main() {
  let acc = 0;
  for (const pair of pairs) {
    const { k, v } = pair;
    acc += show(k, v); // @bp 2 4
    console.log('acc', acc);
  }
  return acc;
}
console.log(main());
