// Well-known runtime objects (built-in prototypes and functions, loaded built-in modules, well-known
// symbols) are never copied: each is recorded by a path that the restore runtime resolves again.
// The same walk runs on both sides (see snapshot/heap/builtins.ts), so paths agree by construction.
import { builtinRoots, forEachBuiltinChild, STDIO_ROOT, type PristineKeys } from '../../heap/builtins';

export type Registry = Map<unknown, string>;

/** A property of a built-in object that holds the program's function (graceful-fs's `fs.close`, its `process.cwd`). */
export interface BuiltinPatch {
  owner: object;
  key: PropertyKey;
  /** The program's function under a wrapper of Node's own that now holds the property (see `Unwrap`). */
  wrapped?: unknown;
}

/** The registry, the program's functions found on built-ins, and where each named function was found. */
export interface BuiltinGraph {
  registry: Registry;
  patches: BuiltinPatch[];
  /** Each named function with the object and key it was read from: the graph holds while each still is there. */
  found: Array<{ owner: object; key: PropertyKey; fn: unknown }>;
}

/** Whether a function found at a built-in path is the program's (the walk neither names it nor goes into it). */
export type ProgramValueTest = (fn: unknown, path: string) => boolean;

/** The function a wrapper of Node's own found at a built-in path stands for (Node's worker `process.chdir`). */
export type Unwrap = (fn: unknown, path: string) => unknown;

/** What tells the program's functions from the runtime's on the built-ins. */
export interface ProgramValues {
  isProgramValue: ProgramValueTest;
  unwrap: Unwrap;
}

export function buildRegistry(
  getBuiltin: (name: string) => unknown,
  loadedModules: string[],
  globalNames: string[],
  pristineKeys: PristineKeys,
  programValues: ProgramValues = { isProgramValue: () => false, unwrap: (fn) => fn },
): BuiltinGraph {
  const graph: BuiltinGraph = { registry: new Map(), patches: [], found: [] };
  const roots = builtinRoots(getBuiltin, loadedModules, globalNames);
  // The standard streams' classes differ from one process to the next (a pipe's net.Socket, a
  // file's SyncWriteStream, a TTY's WriteStream): what else names an object (net.Socket.prototype
  // through module:net) names it first, and a restore finds the same object whatever its stdio are.
  const isStdio = ([path]: [string, unknown]) => path.startsWith(STDIO_ROOT);
  const walk = { graph, pristineKeys, ...programValues };
  walkFrom(
    roots.filter((root) => !isStdio(root)),
    walk,
  );
  walkFrom(roots.filter(isStdio), walk);
  return graph;
}

/** Whether every function the graph named is still where it was found (no program replaced one since). */
export function graphStillHolds(graph: BuiltinGraph): boolean {
  return graph.found.every(({ owner, key, fn }) => {
    const descriptor = Reflect.getOwnPropertyDescriptor(owner, key);
    return !!descriptor && (descriptor.value === fn || descriptor.get === fn || descriptor.set === fn);
  });
}

interface Walk extends ProgramValues {
  graph: BuiltinGraph;
  pristineKeys: PristineKeys;
}

/** Names every built-in reachable from `roots` that has no name yet, breadth first (the shortest path). */
function walkFrom(roots: Array<[string, unknown]>, { graph, pristineKeys, isProgramValue, unwrap }: Walk): void {
  const { registry } = graph;
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
      (child, childPath, key) => {
        if (key !== undefined && typeof child === 'function') {
          const owner = value as object;
          const stood = unwrap(child, childPath);
          if (isProgramValue(stood, childPath)) {
            const wrapped = stood === child ? undefined : stood;
            if (!graph.patches.some((p) => p.owner === owner && p.key === key))
              graph.patches.push({ owner, key, wrapped });
            return;
          }
          graph.found.push({ owner, key, fn: child });
          if (stood !== child && !registry.has(stood)) registry.set(stood, childPath);
        }
        if (registry.has(child)) return;
        registry.set(child, childPath);
        queue.push([child, childPath, depth + 1]);
      },
      pristineKeys,
    );
  }
}
