// ferry-lines: 1,3
// Prototypes held as values (immer keys a cache by prototypes; its DraftMap extends Map): Map keys,
// Set members, properties. Built-in ones are the runtime's own objects; a class's prototype that
// inherits a built-in's tag (DraftMap.prototype is "[object Map]") is an ordinary object, not an instance.
class DraftMap extends Map { peek(key) { return this.get(key); } }
class DraftSet extends Set {}
const protoNames = new Map([[Object.prototype, 'Object'], [Map.prototype, 'Map'], [Set.prototype, 'Set'], [Array.prototype, 'Array'], [DraftMap.prototype, 'DraftMap']]);
const seen = new Set([Map.prototype, Set.prototype, Date.prototype, RegExp.prototype, Promise.prototype, Error.prototype, DraftSet.prototype]);
const holder = { map: Map.prototype, set: Set.prototype, weak: WeakMap.prototype, buffer: ArrayBuffer.prototype, u8: Uint8Array.prototype, draft: DraftMap.prototype };
const draft = new DraftMap([['k', 1]]);
let step = 0;
const iv = setInterval(() => {
  step++;
  draft.set('k', draft.peek('k') * 2);
  const value = [new Map(), new Set(), [], {}, new DraftMap()][step % 5];
  const proto = Object.getPrototypeOf(value);
  console.log(step, protoNames.get(proto), seen.has(proto), holder.map === Map.prototype, holder.set === Set.prototype, holder.weak === WeakMap.prototype,
    holder.buffer === ArrayBuffer.prototype, holder.u8 === Uint8Array.prototype, holder.draft === Object.getPrototypeOf(draft), draft.peek('k'),
    new DraftSet([1, 2]).size, Object.prototype.toString.call(DraftMap.prototype), Object.getPrototypeOf(DraftSet.prototype) === Set.prototype);
  if (step === 6) clearInterval(iv);
}, 40);
