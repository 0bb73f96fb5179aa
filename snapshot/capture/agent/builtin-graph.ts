// The built-in graph (registry.ts) of the target: made at the stop, or ahead of it while the program
// still runs, in slices the controller asks for one at a time (installed-agent.ts workAhead;
// the program runs between them; a small program's first stop spent
// 40–75 ms making it). Kept between checkpoints of one process (kept.ts); a kept graph is used only
// while it still holds: the same modules loaded, its roots and named functions in place, and none of
// the functions it took for the runtime's, though a fresh process has another there, is the program's.
import { builtinPath, builtinRoots } from '../../heap/builtins';
import { streamProbes } from '../../heap/node-streams';
import { readlineProbes } from '../../heap/readline';
import type { ProgramFunction, ProgramValue } from '../../heap/program-value';
import { FunctionOrigins } from './function-origins';
import { Introspector } from './inspector';
import { keepGraph, keptGraph, type PristineNames } from './kept';
import { graphStillHolds, RegistryWalk, type BuiltinGraph, type ProgramValues } from './registry';
import { differsFromFresh } from './runtime-names';

/** The target's runtime as the agent sees it: what the graph is made from. */
export interface RuntimeView {
  getBuiltin: (name: string) => ProgramValue;
  /** The program's own CommonJS loader. */
  Module: ProgramValue;
  /** The public built-in modules loaded, the agent's own inspector and v8 among them. */
  loaded: string[];
  pristine: PristineNames;
}

/** A graph as kept between checkpoints, with what tells whether it still holds. */
export interface KeptGraph {
  loaded: string;
  roots: Array<[string, unknown]>;
  graph: BuiltinGraph;
  /** Functions that differ from a fresh process's yet were taken for the runtime's by the scripts known then. */
  unsure: object[];
}

/** What one call into the target works with: its own inspector session and origins. */
interface Slice {
  introspector: Introspector;
  origins: FunctionOrigins;
}

/** The path of `process.chdir`, which Node's worker module wraps (unwrapNodeChdir). */
const PROCESS_CHDIR = builtinPath('global:process', 'chdir');

export function runtimeView(getBuiltin: (name: string) => ProgramValue, pristine: PristineNames): RuntimeView {
  const Module = process.mainModule?.constructor ?? getBuiltin('module');
  // Loaded before the list of loaded modules is read, as inspector is: v8, and perf_hooks, which
  // the agent's own use of `performance` loads.
  getBuiltin('v8');
  performance.now();
  return { getBuiltin, Module, loaded: loadedBuiltins(Module), pristine };
}

/** At the stop: the kept graph if it still holds (extended by new roots), else one made now. */
export function builtinGraph(view: RuntimeView, slice: Slice, onceWrapper: ProgramFunction | undefined): BuiltinGraph {
  const kept = keptGraph();
  const build = graphBuildFor(view, builtinRoots(view.getBuiltin, view.loaded, view.pristine.globals), slice.origins);
  if (!build) return kept!.graph;
  build.slice = slice;
  while (build.walk.step());
  return build.finish(onceWrapper);
}

/** The build the kept graph needs: none when it holds, one from the new roots, or a whole new one. */
function graphBuildFor(
  view: RuntimeView,
  roots: Array<[string, unknown]>,
  origins: FunctionOrigins,
  userScripts?: ReadonlySet<string>,
): GraphBuild | undefined {
  const kept = keptGraph();
  const added = kept && rootsAddedTo(kept, view, roots, origins);
  if (added?.length === 0) return undefined;
  return new GraphBuild(view, roots, userScripts, added ? kept : undefined);
}

/** A graph being made ahead of the stop, between the controller's calls. */
let ahead: GraphBuild | undefined;

/**
 * One slice of the graph made ahead (the call with the program's scripts starts it): true once it
 * is made, or when the kept one still holds.
 */
export function builtinGraphAhead(
  getBuiltin: (name: string) => ProgramValue,
  pristine: PristineNames,
  sliceMs: number,
  userScriptIds?: string[],
): boolean {
  const introspector = new Introspector(getBuiltin('inspector'));
  try {
    const view = runtimeView(getBuiltin, pristine);
    const userScripts = userScriptIds ? new Set(userScriptIds) : ahead?.userScripts;
    if (!userScripts) return true; // none under way (another agent took over): the stop makes it
    const slice = { introspector, origins: new FunctionOrigins(introspector, userScripts, view.Module) };
    if (userScriptIds) {
      ahead = graphBuildFor(view, builtinRoots(getBuiltin, view.loaded, pristine.globals), slice.origins, userScripts);
      if (!ahead) return true;
    }
    const build = ahead!;
    build.slice = slice;
    const until = performance.now() + sliceMs;
    let more = true;
    while (more && performance.now() < until) more = build.walk.step();
    if (more) return false;
    build.finish(nodeOnceWrapper(getBuiltin('events'), introspector));
    ahead = undefined;
    return true;
  } finally {
    introspector.dispose();
  }
}

/**
 * The roots a kept graph lacks, when it holds otherwise: the same modules loaded, each root still
 * with its value, every function it named in place, and none of those it took for Node's, though
 * a fresh process has another there, the program's by the scripts known now. New roots are Node's
 * lazy globals read since (a capture's own `TextEncoder`): walked from, the graph holds again.
 */
function rootsAddedTo(
  kept: KeptGraph,
  view: RuntimeView,
  roots: Array<[string, unknown]>,
  origins: FunctionOrigins,
): Array<[string, unknown]> | undefined {
  const now = new Map(roots);
  const holds =
    kept.loaded === view.loaded.join(',') &&
    kept.roots.every(([path, value]) => now.get(path) === value) &&
    graphStillHolds(kept.graph) &&
    !kept.unsure.some((fn) => origins.isUserFunction(fn as ProgramFunction));
  if (!holds) return undefined;
  const before = new Set(kept.roots.map(([path]) => path));
  return roots.filter(([path]) => !before.has(path));
}

/** One graph in the making: its walk, then what Node makes that the walk does not reach. */
class GraphBuild {
  readonly walk: RegistryWalk;
  /** The current call's inspector session (a graph made ahead spans several calls). */
  slice: Slice | undefined;
  private readonly unsure: object[];

  /** Walks `roots`, or, extending a kept graph, the roots it lacks. */
  constructor(
    private readonly view: RuntimeView,
    private readonly roots: Array<[string, unknown]>,
    readonly userScripts?: ReadonlySet<string>,
    extended?: KeptGraph,
  ) {
    this.unsure = extended ? [...extended.unsure] : [];
    // Extended in place: not kept while the walk is under way (a capture may stop part way).
    if (extended) keepGraph(undefined);
    const walked = extended ? new Set(extended.roots.map(([path]) => path)) : new Set<string>();
    this.walk = new RegistryWalk(
      roots.filter(([path]) => !walked.has(path)),
      view.pristine.keys,
      this.programValues(),
      extended?.graph,
    );
  }

  /** Adds the probes' objects and keeps the graph. */
  finish(onceWrapper: ProgramFunction | undefined): BuiltinGraph {
    const { getBuiltin, loaded } = this.view;
    const { registry } = this.walk.graph;
    if (onceWrapper) registry.set(onceWrapper, 'ferry:onceWrapper');
    if (loaded.includes('stream'))
      for (const [path, value] of streamProbes(getBuiltin('stream')))
        if (!registry.has(value)) registry.set(value, path);
    if (loaded.includes('readline'))
      for (const [path, value] of readlineProbes(getBuiltin('readline'), getBuiltin('events')))
        if (!registry.has(value)) registry.set(value, path);
    keepGraph({ loaded: loaded.join(','), roots: this.roots, graph: this.walk.graph, unsure: this.unsure });
    return this.walk.graph;
  }

  private programValues(): ProgramValues {
    const { pristine } = this.view;
    return {
      isProgramValue: (fn, path) => {
        if (!differsFromFresh(pristine, fn as object, path)) return false;
        const { origins } = this.slice!;
        if (!origins.isUserFunction(fn as ProgramFunction)) {
          this.unsure.push(fn as object);
          return false;
        }
        return !origins.isRestoreRuntimeFunction(fn as ProgramFunction);
      },
      unwrap: (fn, path) => this.unwrapNodeChdir(fn, path),
    };
  }

  /**
   * What Node's worker wrapper of `process.chdir` wraps: internal/worker.js, loaded with the
   * inspector this agent uses, replaces it with a function calling the one it found there (which
   * may be the program's, graceful-fs's). A fresh process has `wrappedChdir` there.
   */
  private unwrapNodeChdir(fn: unknown, path: string): unknown {
    if (path !== PROCESS_CHDIR || !differsFromFresh(this.view.pristine, fn as object, path)) return fn;
    const { introspector, origins } = this.slice!;
    if (!origins.isRuntimeFunction(fn as object)) return fn;
    this.unsure.push(fn as object);
    const scopes = Array.from(
      (introspector.internals(fn as ProgramFunction)['[[Scopes]]'] ?? []) as ArrayLike<{ object: ProgramValue }>,
    );
    const original = scopes.map((s) => s.object).find((o) => typeof o?.originalChdir === 'function')?.originalChdir;
    return original ?? fn;
  }
}

/** The public built-in modules the program has loaded, in the order it loaded them (reading the list loads none). */
function loadedBuiltins(Module: ProgramValue): string[] {
  const publicModules = new Set<string>(Module.builtinModules);
  return ((process as ProgramValue).moduleLoadList as string[])
    .filter((entry) => entry.startsWith('NativeModule '))
    .map((entry) => entry.slice('NativeModule '.length))
    .filter((name) => publicModules.has(name) && !name.startsWith('_'));
}

/** The function events.js binds for `emitter.once`, found on a probe (Ferry restores its own copy, ferry:onceWrapper). */
export function nodeOnceWrapper(events: ProgramValue, introspector: Introspector): ProgramFunction | undefined {
  const probe = new events.EventEmitter();
  probe.once('probe', () => undefined);
  return introspector.internals(probe.rawListeners('probe')[0])['[[TargetFunction]]'] as ProgramFunction | undefined;
}
