// ferry-lines: 2,3
// A WeakRef whose target was collected before the checkpoint stays empty after it (deref() gives
// undefined), beside one whose target lives on, one made after the restore, and one whose target
// the program drops after the restore: restored objects are garbage like any other once the
// program lets go of them (the restore keeps none of them, even for a program with a derived
// class, whose restored scopes hold what makes it). The program collects its garbage itself (gc()
// from a context made with --expose-gc), in a later job than the one that made its WeakRefs
// (they keep their targets until their job ends).
const v8 = require('node:v8');
const vm = require('node:vm');
function collect() {
  v8.setFlagsFromString('--expose-gc');
  vm.runInNewContext('gc')();
}
class Named {
  constructor(name) {
    this.name = name;
  }
}
class Kept extends Named {}
const kept = new Kept('kept');
let dropped = new Named('dropped');
const refs = new Map([
  ['kept', new WeakRef(kept)],
  ['lost', new WeakRef(new Named('lost'))],
  ['dropped', new WeakRef(dropped)],
]);
const show = (step) =>
  console.log(step, JSON.stringify([...refs].map(([key, ref]) => [key, ref.deref()?.name ?? null])));
show(0);
let step = 0;
const iv = setInterval(() => {
  step++;
  collect();
  if (step === 3) refs.set('late', new WeakRef(new Named('late')));
  if (step === 4) dropped = null;
  show(step);
  if (step === 6) {
    clearInterval(iv);
    console.log('still held:', kept.name, dropped);
  }
}, 50);
