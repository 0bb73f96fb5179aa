// ferry-lines: 1,3
// Two calls leave equal values in a variable that changes later: the counters must stay apart
// (only a heap snapshot can tell them apart at capture time), while each counter's pair of
// closures keeps sharing its own.
function makeCounter() {
  let n = 0;
  return { inc: () => ++n, get: () => n };
}
const a = makeCounter();
const b = makeCounter();
let step = 0;
const timer = setInterval(() => {
  step++;
  if (step > 1) a.inc();
  console.log(`step ${step}: a=${a.get()} b=${b.get()}`);
  if (step === 7) clearInterval(timer);
}, 60);
