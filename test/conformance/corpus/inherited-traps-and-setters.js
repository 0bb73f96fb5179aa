// ferry-lines: 1,3
// Objects whose prototypes have a proxy (its traps print when they run), a setter, a read-only
// property; an own data property named __proto__. The restore must set their own properties
// without running a trap or a setter the program did not run.
// A trap that runs says so on stdout (the uninterrupted run prints no such line).
const trap = (name) => (...args) => {
  console.log(`trap ${name} ${String(args[1])}`);
  return Reflect[name](...args);
};
// Read by the timer's callback, so held in its context ahead of the objects inheriting from the
// proxy: the restore fills the traps in first (in the order the checkpoint found the objects).
const handler = {};
for (const name of ['has', 'get', 'set', 'defineProperty', 'getPrototypeOf', 'ownKeys', 'getOwnPropertyDescriptor'])
  handler[name] = trap(name);
const trapping = new Proxy({}, handler);
const viaProxy = Object.create(trapping);
Object.defineProperty(viaProxy, 'size', { value: 1, writable: true, enumerable: true, configurable: true });
const deeper = Object.create(viaProxy);
Object.defineProperty(deeper, 'label', { value: 'deep', writable: true, enumerable: true, configurable: true });

const withSetter = {
  set level(value) {
    console.log('setter ran');
    this._level = value;
  },
};
const child = Object.create(withSetter);
Object.defineProperty(child, 'level', { value: 3, writable: true, enumerable: true, configurable: true });
const readOnlyBase = Object.freeze({ mode: 'base' });
const override = Object.create(readOnlyBase);
Object.defineProperty(override, 'mode', { value: 'own', writable: true, enumerable: true, configurable: true });
const ownProto = {};
Object.defineProperty(ownProto, '__proto__', { value: 'a plain value', writable: true, enumerable: true, configurable: true });

let step = 0;
const timer = setInterval(() => {
  step++;
  viaProxy.size = Object.getOwnPropertyDescriptor(viaProxy, 'size').value + step;
  const seen = [
    Object.keys(handler).length,
    Object.getOwnPropertyDescriptor(viaProxy, 'size').value,
    Object.getOwnPropertyDescriptor(deeper, 'label').value,
    Object.getOwnPropertyDescriptor(child, 'level').value,
    override.mode,
    readOnlyBase.mode,
    Object.getOwnPropertyDescriptor(ownProto, '__proto__').value,
    Object.getPrototypeOf(ownProto) === Object.prototype,
  ];
  console.log(step, JSON.stringify(seen));
  if (step === 5) clearInterval(timer);
}, 150);
