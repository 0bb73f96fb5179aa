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
  const walk = new RegistryWalk(builtinRoots(getBuiltin, loadedModules, globalNames), pristineKeys, programValues);
  while (walk.step());
  return walk.graph;
}

/**
 * The built-in walk one object at a time, breadth first (the shortest path names each), so that it
 * can run in slices while the program runs (agent/builtin-graph.ts).
 */
export class RegistryWalk {
  /** Root groups, walked one after the other. */
  private readonly rootGroups: Array<Array<[string, unknown]>>;
  private queue: Array<[unknown, string, number]> = [];
  private next = 0;

  /** `graph`: one walked from other roots before, which this walk extends. */
  constructor(
    roots: Array<[string, unknown]>,
    private readonly pristineKeys: PristineKeys,
    private readonly programValues: ProgramValues,
    readonly graph: BuiltinGraph = { registry: new Map(), patches: [], found: [] },
  ) {
    // The standard streams' classes differ from one process to the next (a pipe's net.Socket, a
    // file's SyncWriteStream, a TTY's WriteStream): what else names an object (net.Socket.prototype
    // through module:net) names it first, and a restore finds the same object whatever its stdio are.
    const isStdio = ([path]: [string, unknown]) => path.startsWith(STDIO_ROOT);
    this.rootGroups = [roots.filter((root) => !isStdio(root)), roots.filter(isStdio)];
  }

  /** Visits one object; false once the walk is done. */
  step(): boolean {
    while (this.next >= this.queue.length) {
      const roots = this.rootGroups.shift();
      if (!roots) return false;
      this.enqueueRoots(roots);
    }
    const [value, path, depth] = this.queue[this.next++];
    forEachBuiltinChild(
      value,
      path,
      depth,
      (child, childPath, key) => this.visit(value as object, child, childPath, depth, key),
      this.pristineKeys,
    );
    return true;
  }

  private enqueueRoots(roots: Array<[string, unknown]>): void {
    const { registry } = this.graph;
    this.queue = [];
    this.next = 0;
    for (const [path, value] of roots) {
      if (!registry.has(value)) {
        registry.set(value, path);
        this.queue.push([value, path, 0]);
      }
    }
  }

  /** Names a child that has no name yet, unless it is the program's. */
  private visit(owner: object, child: unknown, childPath: string, depth: number, key?: PropertyKey): void {
    const { graph } = this;
    const { registry } = graph;
    if (key !== undefined && typeof child === 'function') {
      const stood = this.programValues.unwrap(child, childPath);
      if (this.programValues.isProgramValue(stood, childPath)) {
        const wrapped = stood === child ? undefined : stood;
        if (!graph.patches.some((p) => p.owner === owner && p.key === key)) graph.patches.push({ owner, key, wrapped });
        return;
      }
      graph.found.push({ owner, key, fn: child });
      if (stood !== child && !registry.has(stood)) registry.set(stood, childPath);
    }
    if (registry.has(child)) return;
    registry.set(child, childPath);
    this.queue.push([child, childPath, depth + 1]);
  }
}

/** Whether every function the graph named is still where it was found (no program replaced one since). */
export function graphStillHolds(graph: BuiltinGraph): boolean {
  return graph.found.every(({ owner, key, fn }) => {
    const descriptor = Reflect.getOwnPropertyDescriptor(owner, key);
    return !!descriptor && (descriptor.value === fn || descriptor.get === fn || descriptor.set === fn);
  });
}
