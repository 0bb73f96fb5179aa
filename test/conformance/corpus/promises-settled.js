// ferry-lines: 1,3
// Settled promises (fulfilled and rejected) held in state; awaiting them after restore works.
const done = Promise.resolve({ value: 41 });
const failed = Promise.reject(new Error('nope'));
failed.catch(() => {});
let step = 0;
const iv = setInterval(() => {
  step++;
  const s = step;
  done.then((v) => console.log(`${s}: fulfilled with ${v.value + s}`));
  failed.catch((e) => console.log(`${s}: rejected with ${e.message}`));
  if (step === 7) clearInterval(iv);
}, 60);
