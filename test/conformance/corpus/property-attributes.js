// ferry-lines: 1,3
// Property attributes, accessors, frozen, sealed and non-extensible objects, key order.
const o = { b: 1, a: 2, 10: 'ten', 2: 'two' };
Object.defineProperty(o, 'hidden', { value: 'h', enumerable: false, writable: false, configurable: false });
let backing = 5;
Object.defineProperty(o, 'acc', { get() { return backing * 2; }, set(v) { backing = v; }, enumerable: true, configurable: true });
const frozen = Object.freeze({ x: 1, nested: { y: 2 } });
const sealed = Object.seal({ z: 3 });
const fixed = Object.preventExtensions({ w: 4 });
let step = 0;
const iv = setInterval(() => {
  step++;
  o.acc = step;
  sealed.z = step;
  frozen.nested.y = step;
  try { 'use strict'; frozen.x = 9; } catch {}
  const d = Object.getOwnPropertyDescriptor(o, 'hidden');
  console.log(step, JSON.stringify(o), Object.keys(o).join(','), o.acc, d.writable, d.enumerable, d.configurable,
    Object.isFrozen(frozen), frozen.x, frozen.nested.y, Object.isSealed(sealed), sealed.z, Object.isExtensible(fixed));
  if (step === 7) clearInterval(iv);
}, 60);
