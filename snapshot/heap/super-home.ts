// The home object a restored object-literal method's `super` looks through (restore/function-source.ts):
// a proxy that reads and assigns on the prototype of the real home object, as it is at that moment.
// Its handler names the real home's getter, so that a capture of a restored program writes the
// proxy as the call that makes it again (`ferry:superOf`), never the restore runtime's traps.

/**
 * Registered, so that the capture agent (its own copy of this module, in the target) finds it; only
 * ever a key of a proxy handler, which no program code can reach.
 */
const HOME_GETTER = Symbol.for('ferry.superHome');

interface SuperHandler extends ProxyHandler<object> {
  [HOME_GETTER]: () => object;
}

/** What a re-created method's home object inherits from: every `super.x` goes to the real home's prototype, with `this` as receiver. */
export function superOf(home: () => object): object {
  const proto = () => Object.getPrototypeOf(home()) ?? Object.create(null);
  const handler: SuperHandler = {
    get: (_, key, receiver) => Reflect.get(proto(), key, receiver),
    set: (_, key, value, receiver) => Reflect.set(proto(), key, value, receiver),
    has: (_, key) => Reflect.has(proto(), key),
    [HOME_GETTER]: home,
  };
  return new Proxy(Object.create(null), handler);
}

/** The real home's getter when `handler` is a superOf proxy's, else undefined. */
export function superHomeGetter(handler: unknown): (() => object) | undefined {
  if (typeof handler !== 'object' || handler === null) return undefined;
  return Object.getOwnPropertyDescriptor(handler, HOME_GETTER)?.value;
}
