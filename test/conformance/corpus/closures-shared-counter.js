// ferry-lines: 1,3
// Two closures from one call share their context: after restore they still move together.
function makeCounter(start) {
  let n = start;
  return { inc: () => ++n, get() { return n; } };
}
const a = makeCounter(0);
const b = makeCounter(100);
let step = 0;
const timer = setInterval(() => {
  a.inc(); a.inc(); b.inc();
  console.log(`step ${++step}: a=${a.get()} b=${b.get()}`);
  if (step === 7) clearInterval(timer);
}, 60);
