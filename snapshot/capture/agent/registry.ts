// Well-known runtime objects (built-in prototypes and functions, loaded built-in modules, well-known
// symbols) are never copied: each is recorded by a path that the restore runtime resolves again.
// The same walk runs on both sides (see snapshot/heap/builtins.ts), so paths agree by construction.
import { builtinRoots, forEachBuiltinChild, STDIO_ROOT, type PristineKeys } from '../../heap/builtins';

export type Registry = Map<unknown, string>;

export function buildRegistry(
  getBuiltin: (name: string) => unknown,
  loadedModules: string[],
  globalNames: string[],
  pristineKeys: PristineKeys,
): Registry {
  const registry: Registry = new Map();
  const roots = builtinRoots(getBuiltin, loadedModules, globalNames);
  // The standard streams' classes differ from one process to the next (a pipe's net.Socket, a
  // file's SyncWriteStream, a TTY's WriteStream): what else names an object (net.Socket.prototype
  // through module:net) names it first, and a restore finds the same object whatever its stdio are.
  const isStdio = ([path]: [string, unknown]) => path.startsWith(STDIO_ROOT);
  walkFrom(
    roots.filter((root) => !isStdio(root)),
    registry,
    pristineKeys,
  );
  walkFrom(roots.filter(isStdio), registry, pristineKeys);
  return registry;
}

/** Names every built-in reachable from `roots` that has no name yet, breadth first (the shortest path). */
function walkFrom(roots: Array<[string, unknown]>, registry: Registry, pristineKeys: PristineKeys): void {
  const queue: Array<[unknown, string, number]> = [];
  for (const [path, value] of roots) {
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
}
