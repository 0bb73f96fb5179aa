// The debugger's scope objects, read as the agent reads them on every Node version. From V8 12
// (Node 22) reading a binding in its temporal dead zone (a `let`, `const` or class whose
// declaration has not run yet, such as `y` in `const y = f()` paused inside f) throws "Cannot
// access 'y' from debugger"; V8 11 (Node 20) reads it as undefined, which is what is carried.
// Applied to a paused frame's scopes (frame-values.ts) and to every [[Scopes]] list (inspector.ts).

/** Whether this V8 throws on a binding in its dead zone (V8 12 on): on earlier ones no scope needs a look. */
const DEAD_ZONE_THROWS = Number(process.versions.v8.split('.')[0]) >= 12;

/**
 * The scope object, or a copy of it that reads each binding in its dead zone as undefined. Every
 * function read costs this for each of its scopes: looked at binding by binding only when a read of
 * them all at once throws.
 */
export function readableScope(scope: object): object {
  if (!DEAD_ZONE_THROWS || allReadable(scope)) return scope;
  const keys = Reflect.ownKeys(scope);
  const unread = keys.filter((key) => !isReadable(scope, key));
  if (unread.length === 0) return scope;
  const copy = Object.create(Object.getPrototypeOf(scope) as object | null) as object;
  for (const key of keys) {
    const descriptor = unread.includes(key)
      ? { value: undefined, writable: true, enumerable: true, configurable: true }
      : Reflect.getOwnPropertyDescriptor(scope, key)!;
    Reflect.defineProperty(copy, key, descriptor);
  }
  return copy;
}

function allReadable(scope: object): boolean {
  try {
    Object.getOwnPropertyDescriptors(scope);
    return true;
  } catch {
    return false;
  }
}

function isReadable(scope: object, key: string | symbol): boolean {
  try {
    Reflect.getOwnPropertyDescriptor(scope, key);
    return true;
  } catch {
    return false;
  }
}
