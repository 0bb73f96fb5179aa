// ferry-lines: 1,2
// WeakMap/WeakSet entries whose keys are otherwise reachable.
const keys = [{ k: 1 }, { k: 2 }];
const meta = new WeakMap([[keys[0], 'first'], [keys[1], 'second']]);
const seen = new WeakSet([keys[0]]);
let step = 0;
const iv = setInterval(() => {
  step++;
  const fresh = { k: step + 10 };
  keys.push(fresh);
  meta.set(fresh, `added ${step}`);
  if (step % 2) seen.add(fresh);
  console.log(step, keys.map((k) => `${meta.get(k)}${seen.has(k) ? '*' : ''}`).join(','));
  if (step === 7) clearInterval(iv);
}, 60);
