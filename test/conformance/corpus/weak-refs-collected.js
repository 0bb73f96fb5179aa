// ferry-lines: 2,3
// A WeakRef whose target was collected before the checkpoint stays empty after it (deref() gives
// undefined), beside one whose target lives on and one made after the restore. The program
// collects its garbage itself (gc() from a context made with --expose-gc), in a later job than the
// one that made its WeakRefs (they keep their targets until their job ends).
const v8 = require('node:v8');
const vm = require('node:vm');
function collect() {
  v8.setFlagsFromString('--expose-gc');
  vm.runInNewContext('gc')();
}
const kept = { name: 'kept' };
const refs = new Map([
  ['kept', new WeakRef(kept)],
  ['lost', new WeakRef({ name: 'lost' })],
]);
const show = (step) =>
  console.log(step, JSON.stringify([...refs].map(([key, ref]) => [key, ref.deref()?.name ?? null])));
show(0);
let step = 0;
const iv = setInterval(() => {
  step++;
  collect();
  if (step === 3) refs.set('late', new WeakRef({ name: 'late' }));
  show(step);
  if (step === 5) {
    clearInterval(iv);
    console.log('still held:', kept.name);
  }
}, 30);
