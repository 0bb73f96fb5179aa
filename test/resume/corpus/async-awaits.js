'use strict';
// An async function after several awaits: resumed as an async variant.
const tick = (v) => Promise.resolve(v);
function work(i, v) { console.log('work', i, v); return v + i; } // @bp 1 3
async function main() {
  let acc = 0;
  for (let i = 0; i < 4; i++) {
    const v = await tick(i * 10);
    acc = work(i, v) + acc;
    await null;
    console.log('acc', acc);
  }
  console.log('result', acc);
}
main();
