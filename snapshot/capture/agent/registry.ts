// Well-known runtime objects (built-in prototypes and functions, loaded built-in modules, well-known
// symbols) are never copied: each is recorded by a path that the restore runtime resolves again.
// The same walk runs on both sides (see snapshot/heap/builtins.ts), so paths agree by construction.
import { builtinRoots, forEachBuiltinChild, type PristineKeys } from '../../heap/builtins';

export type Registry = Map<unknown, string>;

export function buildRegistry(
  getBuiltin: (name: string) => unknown,
  loadedModules: string[],
  globalNames: string[],
  pristineKeys: PristineKeys,
): Registry {
  const registry: Registry = new Map();
  const queue: Array<[unknown, string, number]> = [];
  for (const [path, value] of builtinRoots(getBuiltin, loadedModules, globalNames)) {
    if (!registry.has(value)) {
      registry.set(value, path);
      queue.push([value, path, 0]);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const [value, path, depth] = queue[i];
    forEachBuiltinChild(
      value,
      path,
      depth,
      (child, childPath) => {
        if (registry.has(child)) return;
        registry.set(child, childPath);
        queue.push([child, childPath, depth + 1]);
      },
      pristineKeys,
    );
  }
  return registry;
}
