// The capture agent: evaluated inside the stopped target, it walks everything the program owns
// from its roots and writes the heap records to a file. It leaves nothing behind: no globals
// (the introspector's temporary key is deleted), no object groups, no listeners.
import { K } from '../../heap/tags';
import { encodeStrings } from '../../heap/writer';
import { Introspector } from './inspector';
import { builtinChanges } from './builtin-changes';
import type { BuiltinGraph, BuiltinPatch, Registry } from './registry';
import { DisplacedFunctions } from './runtime-names';
import { builtinGraph, builtinGraphAhead, nodeOnceWrapper, runtimeView, type RuntimeView } from './builtin-graph';
import { FunctionOrigins } from './function-origins';
import { SettledFunctionsWalk, takeSettledReads, type SettledReads } from './settled-functions';
import { entryModuleUrl } from '../entry-module';
import {
  anyDynamicImport,
  isAgentKey,
  keep,
  keptFacts,
  keptGraph,
  keptPristine,
  type PristineNames,
  type SentFacts,
} from './kept';
import { loadNatives } from './shapes';
import { openFiles as listOpenFiles } from './files';
import { type OpenFileRecord } from '../../format/manifest';
import { HandleWriter, isStillRunning, isStreamOf, readTimerLists, type RunningHandle } from './handles';
import type { SocketVerdict } from './sockets';
import { HeapWalker, type Refusal } from './walker';
import { type FunctionSite, type FramePlacement, type QueuedMicrotask } from '../../format/sections';
import { PausedFrames, type FrameInput, type SuspendedSite } from './frame-values';
import { heapGraphOf, type HeapGraph, type HeapGraphSource } from './heap-graph';
import { ProxyRevokers } from './proxy-revokers';
import { WebAssemblyParts } from './webassembly';
import { PendingPromises } from './promises';
import {
  checkRunningMicrotask,
  queuedMicrotasks,
  microtasksMayBeQueued,
  queueMicrotaskMayWait,
  readMicrotasks,
  readTickQueue,
  taskQueuesInScopes,
  queueMicrotaskProbe,
  aheadOfProbe,
  type MicrotaskQueue,
  type TaskQueuesScope,
  type MicrotaskHost,
  type QueuedTick,
} from './queues';
import { suspendedLoops } from './suspended-loops';
import { nodeFactoryCheck, type NodeFactoryCheck } from './node-factories';
import { coreStreams, type CoreStreams } from './core-streams';
import { EventIterators } from './event-iterators';
import { AFTER_WRITE_PATH } from '../../heap/node-streams';
import { emitLoopCountKey } from '../../heap/listener-arrays';
import { withoutFerryEnv } from '../../format/ferry-env';
import type { CarriedConnection } from '../../format/connections';
import type { ProgramFunction, ProgramValue } from '../../heap/program-value';

/**
 * Where Node's fetch() (undici) keeps its dispatcher: a global under a registered symbol whose
 * number is undici's (`undici.globalDispatcher.1` in Node 20 and 22, `.2` in Node 24).
 */
const FETCH_DISPATCHER = /^undici\.globalDispatcher\.\d+$/;

/** Promises whose state the agent asks one by one (60–100 µs each) rather than take the heap snapshot. */
const PROMISES_ASKED = 2000;

export interface AgentOptions {
  /**
   * The program's scripts: every script parsed before the capture that is not Node's. A function
   * of any other script is the runtime's, one Node parsed while the agent ran included (reading
   * `FormData` loads undici in Node 22 and 24, which sets up fetch()'s dispatcher then).
   */
  userScriptIds: string[];
  /** The program's ES modules (their scripts): each is carried when the program may import it again. */
  esModuleScriptIds: string[];
  /**
   * Own global names of a fresh process of the target's Node (anything else the program added),
   * and the own keys of the globals and their prototypes there: unless the agent has them (kept.ts).
   */
  pristine?: PristineNames;
  /** Per user script the agent has no facts for yet: what its source says (capture/analysis.ts). */
  scriptFacts: Record<string, SentFacts>;
  /** Carry the program's connections (format/connections.ts); otherwise an open socket is refused. */
  carryConnections?: boolean;
  /**
   * Whether the runtime has compiled a WebAssembly module (the Debugger reports each as a script of
   * that language): without one there is no instance to look for on the heap.
   */
  webAssemblyCompiled: boolean;
  /** The command's token for the work done ahead of its stop (workAhead), whose reads it may use. */
  aheadToken?: string;
}

export { keepAhead, keptState } from './kept';

export interface AgentSummary {
  rootId: number;
  objectCount: number;
  heapBytes: number;
  sites: FunctionSite[];
  refusals: Refusal[];
  warnings: string[];
  modules: string[];
  mainModule: string | null;
  timers: number;
  immediates: number;
  servers: Array<{ address: string | null; port: number | null }>;
  connections: CarriedConnection[];
  files: OpenFileRecord[];
  process: {
    argv: string[];
    execArgv: string[];
    env: Record<string, string | undefined>;
    cwd: string;
    title: string;
    umask: number;
    exitCode: number | undefined;
    version: string;
    platform: string;
    arch: string;
    pid: number;
    execPath: string;
  };
  timings: Record<string, number>;
  /** Where each frame's values and context are: the paused stack's (innermost first), then `suspended`'s. */
  frames: FramePlacement[];
  /** Async functions suspended at an `await`, found through the pending promises they wait on. */
  suspended: SuspendedSite[];
}

/** Checkpoint Here: the paused user frames and the values CDP handed over for them. */
export interface PausedStackInput {
  frames: FrameInput[];
  values: unknown[];
  /** The timer or immediate whose callback is on the stack (indices into `values`). */
  running: { kind: 'timer' | 'immediate'; value: number; start?: number } | null;
  /** Ticks run between two immediates of a batch: the immediate the rest of the batch starts at (an index into `values`). */
  batchFrom: number | null;
  /** When the program stopped at these frames (epoch ms, this machine's clock). */
  stoppedAt: number;
}

/** Where the program stopped, when the agent runs at our idle point (capture/pause.ts). */
export interface IdlePoint {
  /** performance.now() at the stop. */
  pausedAt: number;
  /** Our Immediate: the ones after it in this turn's batch are linked from it, not from the queue. */
  immediate: object;
  /** Times the program was held stopped on its way here (performance.now()): they do not count for the timers armed before them. */
  earlierStops?: Array<{ from: number; to: number }>;
}

/**
 * What the agent hands back: the summary, and the heap section in its parts, kept in the target
 * for the capture to read through the inspector (never written to a file, where a capture killed
 * part way would leave the program's whole heap behind).
 */
export interface AgentResult {
  summary: AgentSummary;
  heap: Uint8Array[];
}

export function capture(options: AgentOptions, idle?: IdlePoint, stack?: PausedStackInput): AgentResult {
  const started = performance.now();
  const getBuiltin = builtinLoader();
  const introspector = new Introspector(getBuiltin('inspector'));
  try {
    return new AgentRun(options, getBuiltin, introspector, started, idle, stack).run();
  } finally {
    introspector.dispose();
  }
}

/** The work ahead under way: the command's token, the program's scripts, and the function walk once the graph is made. */
let ahead: { token: string; userScripts: ReadonlySet<string>; functions?: SettledFunctionsWalk } | undefined;

/**
 * Before the stop, while the program runs: one slice, of about `sliceMs`, of the built-in graph
 * (builtin-graph.ts), then of the program's functions read ahead (settled-functions.ts). The call
 * with the program's scripts starts it, under the command's token; true once all is done.
 */
export function workAhead(sliceMs: number, token: string, userScriptIds?: string[]): boolean {
  const getBuiltin = builtinLoader();
  if (userScriptIds) ahead = { token, userScripts: new Set(userScriptIds) };
  if (ahead?.token !== token) return true; // another command took over: its stop reads all
  if (!ahead.functions) {
    if (!builtinGraphAhead(getBuiltin, keptPristine(), sliceMs, userScriptIds)) return false;
    ahead.functions = new SettledFunctionsWalk(token, programRoots(getBuiltin));
  }
  const registry = keptGraph()?.graph.registry;
  if (!registry) {
    ahead = undefined;
    return true;
  }
  const introspector = new Introspector(getBuiltin('inspector'));
  try {
    const { userScripts } = ahead;
    const host = {
      introspector,
      registry,
      isInternalScript: (scriptId: string) => !userScripts.has(scriptId),
      facts: keptFacts,
    };
    const done = ahead.functions.slice(host, performance.now() + sliceMs);
    if (done) ahead = undefined;
    return done;
  } finally {
    introspector.dispose();
  }
}

/** Where the walk ahead starts: the program's CommonJS modules and the globals it added. */
function programRoots(getBuiltin: (name: string) => ProgramValue): unknown[] {
  const Module = process.mainModule?.constructor ?? getBuiltin('module');
  const pristineGlobals = new Set(keptPristine().globals);
  const globals = Reflect.ownKeys(globalThis)
    .filter((key) => typeof key === 'string' && !pristineGlobals.has(key))
    .map((key) => Reflect.getOwnPropertyDescriptor(globalThis, key)?.value);
  return [...Object.values(Module._cache as Record<string, unknown>), ...globals];
}

function builtinLoader(): (name: string) => ProgramValue {
  const getBuiltin = (process as ProgramValue).getBuiltinModule as (name: string) => ProgramValue;
  if (typeof getBuiltin !== 'function')
    throw new Error(`Ferry needs Node >= 20.16 in the target (it has ${process.version})`);
  return getBuiltin;
}

/**
 * One capture, in its phases: what Node and the runtime own (the registry), the program's
 * functions, its timers and live handles, then the walk from its roots, the encoding and the
 * summary. The fields are what the phases share.
 */
class AgentRun {
  private readonly timings: Record<string, number> = {};
  /** The heap snapshot, when one was needed: why, and what it cost (timed apart from the phases). */
  private readonly snapshot = { why: '', ms: 0 };
  /** The program's own CommonJS loader (no need to load the public `module`, and the ES loader with it). */
  private readonly Module: ProgramValue;
  private readonly v8: ProgramValue;
  private readonly view: RuntimeView;
  private readonly origins: FunctionOrigins;
  private readonly loaded: string[];
  private readonly pristine: PristineNames;
  private readonly onceWrapper: ProgramFunction | undefined;
  private readonly registry: Registry;
  /** Properties of built-ins holding the program's functions: set again on the restored built-ins. */
  private readonly patches: BuiltinPatch[];
  private graph: HeapGraph | undefined;
  /** Checkpoint Here: whether V8's microtask queue must be read (from the heap snapshot). */
  private readonly readsMicrotasks: boolean;
  private taskQueuesScope: TaskQueuesScope | undefined;
  private readonly promises: PendingPromises;
  private readonly revokers: ProxyRevokers;
  private readonly webAssembly: WebAssemblyParts;
  private readonly nodeObjects: NodeObjects;
  private readonly timers: CarriedTimers;
  private readonly handles: LiveHandles;
  private readonly requireFunctions = new Map<ProgramFunction, object>();
  private readonly frames: PausedFrames;
  private readonly walker: HeapWalker;
  /** Taken at every capture, so that reads made ahead for another command are dropped. */
  private readonly settledReads: SettledReads | undefined;

  constructor(
    private readonly options: AgentOptions,
    private readonly getBuiltin: (name: string) => ProgramValue,
    private readonly introspector: Introspector,
    private readonly started: number,
    private readonly idle: IdlePoint | undefined,
    private readonly stack: PausedStackInput | undefined,
  ) {
    this.pristine = keep(options.pristine, options.scriptFacts);
    this.settledReads = takeSettledReads(options.aheadToken);
    this.view = runtimeView(getBuiltin, this.pristine);
    ({ Module: this.Module, loaded: this.loaded } = this.view);
    this.v8 = getBuiltin('v8');
    this.origins = new FunctionOrigins(introspector, new Set(options.userScriptIds), this.Module);
    const t = this.phase();
    this.onceWrapper = nodeOnceWrapper(getBuiltin('events'), introspector);
    ({ registry: this.registry, patches: this.patches } = this.knownObjects());
    this.mark('registry', t);
    // Before the agent's own pending promises are made.
    this.readsMicrotasks = !!stack && this.mayHaveMicrotasks(stack);
    // Before any heap snapshot: the queue read from it must show the probe.
    if (this.readsMicrotasks) queueMicrotaskProbe(this.taskQueues());
    this.promises = new PendingPromises(introspector, this.heapGraph, (fn) => this.origins.isUserFunction(fn));
    this.promises.prepare();
    this.revokers = new ProxyRevokers(introspector, this.heapGraph);
    this.webAssembly = new WebAssemblyParts(introspector, this.heapGraph, options.webAssemblyCompiled);
    this.nodeObjects = this.readNodeObjects();
    this.timers = this.readTimers();
    this.handles = this.readHandles();
    this.frames = this.pausedFrames();
    this.walker = this.makeWalker();
  }

  run(): AgentResult {
    const t = this.phase();
    const { rootId, modules } = this.walkRoots();
    this.mark('walk', t);
    if (this.snapshot.why) this.timings[`heap snapshot (${this.snapshot.why})`] = round(this.snapshot.ms);
    this.timings['inspector calls'] = round(this.introspector.busyMs);
    const openFiles = this.openFiles();
    const heap = this.encode();
    return { summary: this.summary(rootId, modules, openFiles, heap), heap };
  }

  // Each phase's own time, less what it spent in the inspector and the heap snapshot (timed apart).
  private inInspector(): number {
    return this.introspector.busyMs + this.snapshot.ms;
  }

  private phase(): { at: number; inInspector: number } {
    return { at: performance.now(), inInspector: this.inInspector() };
  }

  private mark(name: string, since: { at: number; inInspector: number }): void {
    this.timings[name] = round(performance.now() - since.at - (this.inInspector() - since.inInspector));
  }

  /** One heap snapshot at most, shared by the closure contexts, the pending promises and the rest. */
  private heapGraph: HeapGraphSource = (why) => {
    if (this.graph) return this.graph;
    const taken = performance.now();
    this.graph = heapGraphOf(this.introspector.heapSnapshot());
    this.introspector.graph = this.graph;
    Object.assign(this.snapshot, { why, ms: performance.now() - taken });
    return this.graph;
  };

  /**
   * Whether a callback is the program's. A timer may call a promise's resolve function (`new
   * Promise((r) => setTimeout(r, ms))`): a nameless native function, checked in the heap snapshot
   * only then. Bound functions and `once` wrappers are the program's when what they call is.
   */
  private isUserCallback = (fn: ProgramFunction): boolean => {
    if (this.origins.isUserFunction(fn)) return true;
    if (!/\[native code\] \}$/.test(Function.prototype.toString.call(fn))) return false;
    if (fn.name === '' && this.promises.resolverOf(fn)) return true;
    const target = this.introspector.internals(fn)['[[TargetFunction]]'] as ProgramFunction | undefined;
    if (target === undefined) return false;
    if (target === this.onceWrapper)
      return typeof (fn as ProgramValue).listener === 'function' && this.isUserCallback((fn as ProgramValue).listener);
    return this.isUserCallback(target);
  };

  /** The built-in registry, kept between captures, with writable.js's afterWrite when the paused stack gave it. */
  private knownObjects(): BuiltinGraph {
    const graph = builtinGraph(this.view, { introspector: this.introspector, origins: this.origins }, this.onceWrapper);
    // writable.js's afterWrite, as the paused stack's frame of it gave it (reading it from Node's
    // closures, or making a probe write, crashed Node 20 in a target stopped in the debugger).
    for (const frame of this.stack?.frames ?? [])
      if (frame.afterWrite) graph.registry.set(this.stack!.values[frame.afterWrite.fn], AFTER_WRITE_PATH);
    return graph;
  }

  /** Node's stream classes, events.on() iterators and the objects Node's factories made. */
  private readNodeObjects(): NodeObjects {
    const { getBuiltin, loaded, introspector } = this;
    const fs = loaded.includes('fs') ? getBuiltin('fs') : undefined;
    // Its stream classes only once the program has loaded them (reading them loads a dozen modules).
    const WriteStream = isLoaded('internal/fs/streams') ? fs?.WriteStream : undefined;
    const streams = loaded.includes('stream')
      ? coreStreams(getBuiltin('stream'), this.registry, WriteStream)
      : undefined;
    // readline's own Interface class, which readline/promises' extends too.
    const readlineInterface = loaded.includes('readline')
      ? (Object.getPrototypeOf(getBuiltin('readline').Interface.prototype).constructor as ProgramFunction)
      : undefined;
    const eventIterators = new EventIterators({
      internalScopes: (fn) =>
        introspector.scopesIf(fn, (location) => this.origins.isInternalScript(location.scriptId))?.map((s) => s.object),
      promiseOfResolver: (fn) => this.promises.resolverOf(fn)?.promise,
      isReadline: (emitter) => readlineInterface !== undefined && emitter instanceof readlineInterface,
    });
    // Made when first needed, as the walk begins: making it runs probes in the program.
    let check: NodeFactoryCheck | undefined;
    const nodeFactory = () =>
      (check ??= nodeFactoryCheck(
        getBuiltin,
        loaded,
        introspector,
        this.heapGraph,
        this.origins.isInternalScript,
        streams,
        eventIterators,
      ));
    return { WriteStream, streams, eventIterators, nodeFactory };
  }

  /** The program's timers and immediates, from Node's lists, with the one whose callback is running. */
  private readTimers(): CarriedTimers {
    const { stack } = this;
    const running: RunningHandle | undefined = stack?.running
      ? {
          kind: stack.running.kind,
          value: stack.values[stack.running.value] as RunningHandle['value'],
          start: stack.running.start === undefined ? undefined : (stack.values[stack.running.start] as number),
        }
      : undefined;
    // Time spent stopped at a breakpoint does not count either: the program's clock stood still.
    const stoppedAt = stack && performance.now() - Math.max(0, Date.now() - stack.stoppedAt);
    const lists = readTimerLists(
      this.introspector,
      this.getBuiltin('timers'),
      this.idle ??
        (stoppedAt !== undefined
          ? {
              pausedAt: stoppedAt,
              immediate: running?.kind === 'immediate' ? running.value : undefined,
              batchFrom: stack?.batchFrom == null ? undefined : (stack.values[stack.batchFrom] as object),
            }
          : undefined),
    );
    const runningHandle = running && isStillRunning(running) ? running : undefined;
    // A timer may hold a function Node made for an object of the program's (a stream's write callback): made again with it.
    // (Asked only of a stream's write callback, `bound onwrite`, nameless on Node 24: what Node made for itself is not to be read.)
    const isCarried = (fn: ProgramFunction) =>
      this.isUserCallback(fn) ||
      ((fn.name === 'bound onwrite' || fn.name === '') && typeof this.nodeObjects.nodeFactory()(fn) === 'object');
    const timers = lists.timers.filter((timer: ProgramValue) => timer._onTimeout && isCarried(timer._onTimeout));
    const immediates = lists.immediates.filter((im: ProgramValue) => im._onImmediate && isCarried(im._onImmediate));
    const warnings: string[] = [];
    const skipped = lists.timers.length - timers.length;
    // Off its list while its callback runs, the running timer is armed again (an interval) only at restore.
    if (runningHandle?.kind === 'timer') timers.push(runningHandle.value);
    if (skipped > 0)
      warnings.push(
        `${skipped} timer(s) of the Node runtime itself were not carried (they are re-created by the objects that own them)`,
      );
    return { lists, runningHandle, timers, immediates, warnings };
  }

  /** Listening servers and connections, the writer of every handle, and what cannot be carried. */
  private readHandles(): LiveHandles {
    const { getBuiltin, loaded, timers } = this;
    const net = loaded.includes('net') ? getBuiltin('net') : undefined;
    const active: ProgramValue[] = (process as ProgramValue)._getActiveHandles();
    const servers = net ? active.filter((h) => h instanceof net.Server && h.listening) : [];
    const writer = new HandleWriter(
      { ...timers.lists, timers: timers.timers, immediates: timers.immediates },
      servers,
      this.isUserCallback,
      this.nodeObjects.WriteStream,
      timers.runningHandle,
      this.options.carryConnections ? net : undefined,
      fileHandleCheck(this.origins.isUserFunction),
    );
    const carried = writer.sockets;
    // Connections no variable of the program's holds (those its servers accepted) are roots of their own.
    const sockets = carried ? active.filter((h) => carried.carries(h) && !isStdio(h)) : [];
    const uncarriable = makeUncarriableCheck(
      getBuiltin,
      loaded,
      servers,
      nativeAddonParts(this.Module._cache),
      carried && ((socket) => carried.verdict(socket)),
    );
    return { servers, sockets, writer, uncarriable };
  }

  /** See FrameHost.lexicalThisOf: the nearest of its contexts that holds a `this`. */
  private lexicalThisOf(fn: ProgramFunction): { value: unknown } | string | undefined {
    const at = this.introspector.location(fn);
    const facts = at && keptFacts(at.scriptId);
    if (!at || !facts?.lexicalThisArrows.has(`${at.lineNumber}:${at.columnNumber}`)) return undefined;
    const graph = this.heapGraph('suspended arrow functions reading `this`');
    const [heapId] = this.introspector.heapIds([fn]);
    const holder = graph.contextChain(heapId)?.find((node) => graph.contextSlot(node, 'this') !== undefined);
    if (holder === undefined)
      return 'an async arrow function whose lexical `this` is not an object, or not in the heap snapshot (not carried yet)';
    return { value: this.introspector.objectByHeapId(graph.contextSlot(holder, 'this')!) };
  }

  /** Paused frames (Checkpoint Here) first, then every async function found suspended in the walk. */
  private pausedFrames(): PausedFrames {
    const { introspector, promises, getBuiltin } = this;
    return new PausedFrames(this.stack?.frames ?? [], this.stack?.values ?? [], {
      locationOf: (fn) => introspector.location(fn),
      internals: (value) => introspector.internals(value),
      promiseOf: (asyncFunction) => promises.promiseOf(asyncFunction),
      awaitOfGenerator: (generator) => promises.awaitOfGenerator(generator),
      runningAsyncFunctions: (location) => promises.runningAsyncFunctions(location),
      lexicalThisOf: (fn) => this.lexicalThisOf(fn),
      entryModuleUrl,
      loopsOf: (suspended, source, scopes) =>
        suspendedLoops(suspended, source, scopes, {
          graph: this.heapGraph,
          heapIds: (objects) => introspector.heapIds(objects),
          objectByHeapId: (heapId) => introspector.objectByHeapId(heapId),
          internals: (value) => introspector.internals(value),
          types: getBuiltin('util').types,
          isEventIterator: (value) => typeof this.nodeObjects.eventIterators.factoryCall(value) === 'object',
        }),
      capturesRejections: (emitter) => capturesRejections(getBuiltin('events'), emitter),
      root: (name, value) => this.walker.root(name, value),
      id: (value, from, key) => this.walker.id(value, from, key),
      refuse: (id, reason) => this.walker.addRefusal(id, reason),
    });
  }

  private makeWalker(): HeapWalker {
    const { frames, nodeObjects } = this;
    return new HeapWalker({
      heapGraph: this.heapGraph,
      heapBytes: this.v8.getHeapStatistics().used_heap_size,
      promises: this.promises,
      proxyOfRevokeFunction: (fn) => this.revokers.proxyOf(fn),
      suspended: (asyncFunction, awaited) => frames.addSuspended(asyncFunction, { awaited }),
      suspendedGenerator: (generator, id) => frames.addSuspended(generator, { generator: id }),
      runningGenerator: (generator, id) => frames.matchRunningGenerator(generator, id),
      liveActivations: () => frames.count(),
      registry: this.registry,
      displaced: new DisplacedFunctions(this.pristine.functions, this.registry, (fn) =>
        this.origins.isRuntimeFunction(fn),
      ),
      introspector: this.introspector,
      isInternalScript: this.origins.isInternalScript,
      uncarriable: this.handles.uncarriable,
      nodeFactory: nodeObjects.nodeFactory(),
      eventIteratorState: (value) => nodeObjects.eventIterators.state(value),
      coreStreamClass: (value) => nodeObjects.streams?.classOf(value),
      webAssembly: (value) => this.webAssembly.part(value),
      natives: loadNatives(this.v8),
      emitLoopCount: emitLoopCountKey(this.getBuiltin('events')),
      scriptFacts: keptFacts,
      settledReads: this.settledReads,
      writeHandle: (w, value, id) => this.writeHandle(w, value, id),
    });
  }

  /** Live handles, and the modules and `require` functions the program holds: records of their own. */
  private writeHandle(w: HeapWalker, value: object, id: number): boolean {
    if (this.handles.writer.write(w, value, id)) return true;
    const { Module } = this;
    if (Object.getPrototypeOf(value) === Module.prototype) {
      w.out.byte(K.Module);
      w.value((value as ProgramValue).filename, id, 'filename');
      w.properties(value, id, (key) => typeof key === 'symbol');
      return true;
    }
    if (
      typeof value === 'function' &&
      (value as ProgramValue).cache === Module._cache &&
      typeof (value as ProgramValue).resolve === 'function'
    ) {
      w.out.byte(K.Require);
      w.value(
        this.requireFunctions.get(value as ProgramFunction) ??
          moduleOfRequire(this.introspector, value as ProgramFunction),
        id,
        '[[Module]]',
      );
      return true;
    }
    return false;
  }

  /** Walks from the roots, each under a readable name for error paths; returns the roots' id and the modules walked. */
  private walkRoots(): { rootId: number; modules: string[] } {
    const { walker, frames, timers, handles } = this;
    const cache = this.Module._cache as Record<string, ProgramValue>;
    const modules = Object.keys(cache);
    for (const filename of modules) walker.root(`module ${filename}`, cache[filename]);
    const globals = this.programGlobals();
    timers.timers.forEach((timer, i) => walker.root(`timer #${i + 1}`, timer));
    timers.immediates.forEach((im, i) => walker.root(`immediate #${i + 1}`, im));
    handles.servers.forEach((server, i) => walker.root(`server #${i + 1}`, server));
    handles.sockets.forEach((socket, i) => walker.root(`connection #${i + 1}`, socket));
    const processListeners = this.processListeners();
    const ticks = this.queuedTicks();
    const microtaskQueue = this.readsMicrotasks ? this.readMicrotaskQueue() : undefined;
    const microtaskHost = this.microtaskHost();
    if (this.stack && microtaskQueue) checkRunningMicrotask(microtaskQueue, this.stack, microtaskHost);
    const microtasks: QueuedMicrotask[] = [];
    const roots = {
      ticks: ticks
        .filter(({ callback }) => this.isUserCallback(callback))
        .map(({ callback, args }) => [callback, args ?? null]),
      microtasks,
      modules: modules.map((filename) => [filename, cache[filename]]),
      main: (process as ProgramValue).mainModule ?? null,
      globals,
      timers: timers.timers,
      immediates: timers.immediates,
      servers: handles.servers,
      sockets: handles.sockets,
      processListeners,
      esModules: this.functionsOfModules(),
      ...this.builtinPatches(),
    };
    const rootId = walker.root('roots', roots);
    frames.addRoots();
    // After the paused frames: an await about to go on adds its function as a suspended frame.
    if (microtaskQueue) microtasks.push(...queuedMicrotasks(microtaskQueue, microtaskHost));
    walker.drain({ key: () => frames.count(), run: (closures) => frames.placeInContexts(closures) });
    frames.markUnseenAwaits((awaited) => this.promises.combinators.unseenValueOf(awaited));
    return { rootId, modules };
  }

  /**
   * A function of each of the program's ES modules, when it may import them again: its context is
   * the module's bindings, which the restored program's loader hands out instead of evaluating
   * the module a second time (restore/module-stand-ins.ts). A module nothing else on the heap
   * reaches would otherwise be left behind. Its functions are told by their top-level names (V8
   * names an anonymous `export default function` "default").
   */
  private functionsOfModules(): ProgramFunction[] {
    if (this.options.esModuleScriptIds.length === 0 || !anyDynamicImport()) return [];
    const topNames = new Map<string, ReadonlySet<string>>();
    for (const scriptId of this.options.esModuleScriptIds) {
      const names = keptFacts(scriptId)?.moduleNames;
      if (names) topNames.set(scriptId, new Set([...names, 'default']));
    }
    const candidates = new Set([...topNames.values()].flatMap((names) => [...names]));
    const found = new Map<string, ProgramFunction>();
    for (const fn of this.introspector.instances(Function.prototype) as ProgramFunction[]) {
      if (found.size === topNames.size) break;
      const name = Reflect.getOwnPropertyDescriptor(fn, 'name')?.value;
      if (typeof name !== 'string' || !candidates.has(name)) continue;
      const scriptId = this.introspector.location(fn)?.scriptId;
      if (scriptId !== undefined && topNames.get(scriptId)?.has(name) && !found.has(scriptId)) found.set(scriptId, fn);
    }
    return [...found.values()];
  }

  /**
   * What the program changed on built-ins, as the restore makes it again: each property that holds
   * the program's function or that it added, as [built-in, key, descriptor]; each value it set
   * (`Error.stackTraceLimit`), as [built-in, key, value].
   */
  private builtinPatches(): { builtinPatches: unknown[]; builtinSettings: unknown[] } {
    const functions = this.patches.flatMap(({ owner, key, wrapped }) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(owner, key);
      if (!descriptor) return [];
      return [
        [
          owner,
          key,
          wrapped !== undefined && 'value' in descriptor ? { ...descriptor, value: wrapped } : { ...descriptor },
        ],
      ];
    });
    const { defined, assigned } = builtinChanges(this.pristine, this.getBuiltin, this.loaded);
    return {
      builtinPatches: [...functions, ...defined],
      builtinSettings: assigned,
    };
  }

  /** The globals the program added (a fresh process of its Node has none of them), each a root. */
  private programGlobals(): object {
    const builtinGlobals = new Set(this.pristine.globals);
    const globals = Object.create(null);
    for (const key of Reflect.ownKeys(globalThis)) {
      if (typeof key === 'string' && (builtinGlobals.has(key) || key.startsWith('__ferry_'))) continue;
      if (typeof key === 'symbol' && isAgentKey(key)) continue; // this agent, installed (kept.ts)
      const descriptor = Reflect.getOwnPropertyDescriptor(globalThis, key)!;
      // fetch()'s connection pool, Node's own: left behind (its idle connections were closed at the
      // idle point); the restored process makes a fresh one at its first fetch().
      if (
        typeof key === 'symbol' &&
        FETCH_DISPATCHER.test(Symbol.keyFor(key) ?? '') &&
        typeof descriptor.value?.constructor === 'function' &&
        !this.origins.isUserFunction(descriptor.value.constructor)
      )
        continue;
      Reflect.defineProperty(globals, key, descriptor);
      const value: unknown = descriptor.value;
      if ('value' in descriptor && value !== null && (typeof value === 'object' || typeof value === 'function'))
        this.walker.root(`global ${String(key)}`, value);
    }
    return globals;
  }

  /** The program's `process` listeners, each as [event, listener, once]. */
  private processListeners(): unknown[] {
    const listeners: unknown[] = [];
    const events = (process as ProgramValue)._events ?? {};
    for (const name of Reflect.ownKeys(events)) {
      for (const raw of process.rawListeners(name as ProgramValue) as ProgramValue[]) {
        const once = typeof raw.listener === 'function';
        const fn = once ? raw.listener : raw;
        if (!this.isUserCallback(fn)) continue;
        this.walker.root(`process.on(${String(name)})`, fn);
        listeners.push([name, fn, once]);
      }
    }
    return listeners;
  }

  /** Checkpoint Here: whether microtasks may be queued or running, asked of the heap before a snapshot is. */
  private mayHaveMicrotasks(stack: PausedStackInput): boolean {
    const { introspector, getBuiltin } = this;
    return microtasksMayBeQueued({
      calledBy: stack.frames.at(-1)?.calledBy,
      anyPendingPromise: () => {
        const promises = introspector.instances(Promise.prototype) as object[];
        // Past this many, asking each costs about what the snapshot would.
        return promises.length > PROMISES_ASKED || promises.some((p) => introspector.promiseState(p) === 'pending');
      },
      queuedCallbackMayWait: () =>
        queueMicrotaskMayWait(globalThis.queueMicrotask, this.origins.isUserFunction, () =>
          isLoaded('async_hooks')
            ? (introspector.instances(getBuiltin('async_hooks').AsyncResource.prototype) as object[])
            : [],
        ),
    });
  }

  /**
   * Checkpoint Here: V8's microtask queue, the program's part of it (ahead of the probe). Refused
   * by name when the queue read does not show the probe: what is queued there would be lost.
   */
  private readMicrotaskQueue(): MicrotaskQueue {
    const read = readMicrotasks(this.heapGraph('queued microtasks'), (id) => this.introspector.objectByHeapId(id));
    const queued = aheadOfProbe(read.queued);
    if (!queued)
      this.walker.refusals.push({
        path: 'microtask queue',
        reason: `Ferry cannot read V8's microtask queue on Node ${process.version} (the heap snapshot does not show it where Ferry looks), and what is queued there would be lost: checkpoint at idle`,
      });
    return { current: read.current, queued: queued ?? [] };
  }

  /** task_queues.js's module scope (its tick queue, V8's enqueue), read once. */
  private taskQueues(): TaskQueuesScope {
    const nodeFunctions = [process.nextTick, (process as ProgramValue)._tickCallback].filter(
      (fn) => typeof fn === 'function' && !this.origins.isUserFunction(fn),
    );
    this.taskQueuesScope ??= taskQueuesInScopes(
      nodeFunctions,
      (fn) => this.introspector.internals(fn)['[[Scopes]]'] as ArrayLike<{ object: unknown }> | undefined,
    );
    return this.taskQueuesScope;
  }

  /** Checkpoint Here: the process.nextTick calls queued behind the paused code run after it, in order. */
  private queuedTicks(): QueuedTick[] {
    if (!this.stack) return [];
    const ticks = readTickQueue(this.taskQueues().queue).filter(
      (tick) => !isStdioWriteDone(tick, this.registry, this.isUserCallback),
    );
    ticks.forEach(({ callback }, i) => {
      if (!this.isUserCallback(callback))
        this.walker.refusals.push({
          path: `process.nextTick queue › [${i}]`,
          reason: `a tick of Node's own code (${callback.name || 'anonymous'}) is queued: step on until it has run, or checkpoint at idle`,
        });
    });
    return ticks;
  }

  private microtaskHost(): MicrotaskHost {
    const { introspector, promises, frames, walker } = this;
    return {
      isUserFunction: this.isUserCallback,
      awaitingFunction: (handlerId) => {
        const found = promises.awaitingFunction(handlerId);
        return found && { kind: found.kind, object: introspector.objectByHeapId(found.heapId) as object };
      },
      addSuspended: (asyncFunction, awaited, unread) => frames.addSuspended(asyncFunction, { awaited, unread }),
      internals: (value) => introspector.internals(value),
      locationOf: (fn) => introspector.internals(fn).location,
      refuse: (path, reason) => walker.refusals.push({ path, reason }),
    };
  }

  /** The program's open files; a FileHandle on anything but a regular file is refused. */
  private openFiles(): ReturnType<typeof listOpenFiles> {
    const held = this.handles.writer.fileHandleDescriptors;
    const openFiles = listOpenFiles(this.getBuiltin('fs'), held);
    for (const fd of held)
      if (!openFiles.files.some((file) => file.fd === fd))
        this.walker.refusals.push({
          path: 'open files',
          reason: `a FileHandle on file descriptor ${fd}, which is not a regular file Ferry can open again`,
        });
    for (const reason of openFiles.refusals) this.walker.refusals.push({ path: 'open files', reason });
    return openFiles;
  }

  /** The heap section in its parts: header (record count, records' and table's lengths), records, function table, strings. */
  private encode(): Uint8Array[] {
    const t = this.phase();
    const { walker } = this;
    const records = walker.out.result();
    const functionTable = walker.functionTable.result();
    const strings = encodeStrings(walker.strings.strings, (text, encoding) => Buffer.from(text, encoding));
    const header = Buffer.alloc(12);
    header.writeUInt32LE(walker.written, 0);
    header.writeUInt32LE(records.length, 4);
    header.writeUInt32LE(functionTable.length, 8);
    this.mark('encode', t);
    return [header, records, functionTable, strings];
  }

  private summary(
    rootId: number,
    modules: string[],
    openFiles: ReturnType<typeof listOpenFiles>,
    heap: Uint8Array[],
  ): AgentSummary {
    const { walker, timers, handles, timings } = this;
    const timed = Object.values(timings).reduce((sum, ms) => sum + ms, 0);
    timings['agent other'] = round(performance.now() - this.started - timed);
    return {
      rootId,
      objectCount: walker.written,
      heapBytes: heap.reduce((sum, part) => sum + part.length, 0),
      sites: walker.sites,
      refusals: walker.refusals,
      warnings: [...timers.warnings, ...openFiles.warnings, ...walker.warnings],
      modules,
      mainModule: (process as ProgramValue).mainModule?.filename ?? null,
      timers: timers.timers.length,
      immediates: timers.immediates.length,
      files: openFiles.files,
      connections: handles.writer.sockets?.connections ?? [],
      servers: handles.servers.map(serverAddress),
      process: processState(),
      timings,
      frames: this.frames.placements((value) => walker.ids.get(value)),
      suspended: this.frames.suspended,
    };
  }
}

/** What the capture knows of Node's own objects in the program (streams, iterators, factories' objects). */
interface NodeObjects {
  WriteStream: ProgramFunction | undefined;
  streams: CoreStreams | undefined;
  eventIterators: EventIterators;
  /** The check of objects Node's factories made, made when first asked for. */
  nodeFactory: () => NodeFactoryCheck;
}

interface CarriedTimers {
  lists: ReturnType<typeof readTimerLists>;
  runningHandle: RunningHandle | undefined;
  /** The program's timers and immediates, carried. */
  timers: ProgramValue[];
  immediates: ProgramValue[];
  warnings: string[];
}

interface LiveHandles {
  servers: ProgramValue[];
  /** Connections no variable of the program's holds, each a root of its own. */
  sockets: ProgramValue[];
  writer: HandleWriter;
  uncarriable: (value: object) => string | undefined;
}

function serverAddress(server: ProgramValue): { address: string | null; port: number | null } {
  const a = server.address();
  return typeof a === 'string' ? { address: a, port: null } : { address: a?.address ?? null, port: a?.port ?? null };
}

function processState(): AgentSummary['process'] {
  return {
    argv: process.argv,
    execArgv: process.execArgv,
    env: withoutFerryEnv(process.env), // Ferry's own (FERRY_KEY) are never the program's to carry
    cwd: process.cwd(),
    title: process.title,
    umask: process.umask(),
    exitCode: process.exitCode as number | undefined,
    version: process.version,
    platform: process.platform,
    arch: process.arch,
    pid: process.pid,
    execPath: process.execPath,
  };
}

function isStdio(handle: unknown): boolean {
  return handle === process.stdout || handle === process.stderr || handle === process.stdin;
}

/** Whether Node has loaded one of its modules (internal ones too), without loading it. */
function isLoaded(name: string): boolean {
  return (process as unknown as { moduleLoadList: string[] }).moduleLoadList.includes(`NativeModule ${name}`);
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** Whether an object is a FileHandle of fs/promises (a class of Node's own of that name): decided once per prototype. */
function fileHandleCheck(isUserFunction: (fn: ProgramFunction) => boolean): (value: object) => boolean {
  const byPrototype = new Map<object, boolean>();
  return (value) => {
    const proto = Object.getPrototypeOf(value);
    if (proto === null || typeof value === 'function') return false;
    let is = byPrototype.get(proto);
    if (is === undefined) {
      const ctor = Reflect.getOwnPropertyDescriptor(proto, 'constructor')?.value;
      is = typeof ctor === 'function' && ctor.name === 'FileHandle' && !isUserFunction(ctor);
      byPrototype.set(proto, is);
    }
    return is;
  };
}

/** A module's require function closes over its module as `mod` (lib/internal/modules/helpers.js). */
function moduleOfRequire(introspector: Introspector, fn: ProgramFunction): object | null {
  const scopes = Array.from((introspector.internals(fn)['[[Scopes]]'] as Array<{ object: ProgramValue }>) ?? []);
  return scopes.map((s) => s.object).find((o) => o && o.mod)?.mod ?? null;
}

/** Why an fs write stream cannot be carried now, if it cannot: only a quiet, open one on a descriptor can. */
function fileWriteStreamProblem(stream: ProgramValue): string | undefined {
  const where = `an fs write stream on ${stream.path}`;
  if (stream.destroyed || stream.writableEnded) return `${where}, ended or closed: carried streams are open ones`;
  if (typeof stream.fd !== 'number') return `${where}, still opening its file`;
  if (stream.writableLength > 0 || stream._writableState?.writing)
    return `${where} with writes in flight (checkpoint when they are done)`;
  return undefined;
}

/**
 * Native addons (`.node` files) loaded by the program: their modules, exports and exported values,
 * each mapped to its file. Their state lives in native code; a restore could only load them afresh.
 */
function nativeAddonParts(cache: Record<string, ProgramValue>): Map<object, string> {
  const parts = new Map<object, string>();
  const add = (value: unknown, filename: string) => {
    if ((typeof value === 'object' && value !== null) || typeof value === 'function') parts.set(value, filename);
  };
  for (const [filename, module] of Object.entries(cache)) {
    if (!filename.endsWith('.node')) continue;
    add(module, filename);
    add(module?.exports, filename);
    for (const key of Reflect.ownKeys(module?.exports ?? {}))
      add(Reflect.getOwnPropertyDescriptor(module.exports, key)?.value, filename);
  }
  return parts;
}

/** Why a socket cannot be carried in this checkpoint, which carries connections: undefined when it can (or is closed). */
function socketRefusal(verdict: SocketVerdict): string | undefined {
  if ('refuse' in verdict) return verdict.refuse;
  // At an idle point these were waited for; one still under way here (at a breakpoint) cannot be.
  if ('wait' in verdict) return `${verdict.wait}: a connection is carried only between the messages it carries`;
  return undefined;
}

/** Why an open socket is refused in a checkpoint that does not carry connections (a migration's). */
function openSocketRefusal(socket: ProgramValue): string | undefined {
  return socket.destroyed
    ? undefined
    : `a connected socket (${socket.remoteAddress ?? 'pipe'}:${socket.remotePort ?? ''}): open connections cannot be carried (close them before the checkpoint, or use the ferry:checkpoint event)`;
}

/** Things a process owns that cannot move with it: refused, with the reason, unless a policy says otherwise. */
function makeUncarriableCheck(
  getBuiltin: (name: string) => ProgramValue,
  loaded: string[],
  servers: object[],
  addons: Map<object, string>,
  socketVerdict?: (socket: object) => SocketVerdict,
): (value: object) => string | undefined {
  const checks: Array<[ProgramFunction, (value: ProgramValue) => string | undefined]> = [];
  const add = (module: string, name: string, why: (value: ProgramValue) => string | undefined) => {
    if (!loaded.includes(module)) return;
    if (module === 'fs' && /Stream$/.test(name) && !isLoaded('internal/fs/streams')) return; // none made yet
    const ctor = getBuiltin(module)[name];
    if (typeof ctor === 'function') checks.push([ctor, why]);
  };
  add(
    'child_process',
    'ChildProcess',
    (cp) => `a child process (pid ${cp.pid}): child processes cannot move with the program`,
  );
  add('worker_threads', 'Worker', () => 'a worker thread: worker threads cannot be carried');
  add('net', 'Socket', (s) => (socketVerdict ? socketRefusal(socketVerdict(s)) : openSocketRefusal(s)));
  add('net', 'Server', (s) =>
    servers.includes(s) || !s.listening ? undefined : 'a server that is not listening on a TCP port',
  );
  // Node 20's: once run() or enterWith() enabled it, each pending callback's store is kept on its
  // async resource, which a restore makes afresh; one never enabled holds nothing yet.
  add('async_hooks', 'AsyncLocalStorage', (storage) =>
    storage.enabled
      ? "an AsyncLocalStorage in use: the store each pending callback runs with lives in Node's async context, which Ferry cannot carry yet"
      : undefined,
  );
  add('crypto', 'Hash', () => 'a crypto Hash: its internal state cannot be read');
  add('crypto', 'Hmac', () => 'a crypto Hmac: its internal state cannot be read');
  // An object made from their prototype is no stream: a library's subclass prototype (graceful-fs's).
  add('fs', 'WriteStream', (s) => (isStreamOf(s, s.constructor) ? fileWriteStreamProblem(s) : undefined));
  add('fs', 'ReadStream', (s) =>
    isStreamOf(s, s.constructor) ? `an fs read stream on ${s.path}: streams are not carried yet` : undefined,
  );
  add('zlib', 'Gzip', () => 'a zlib stream: its internal state cannot be read');
  add('zlib', 'Gunzip', () => 'a zlib stream: its internal state cannot be read');
  // What a prototype chain makes uncarriable is decided once per prototype, not once per object.
  const byPrototype = new Map<object | null, ((value: ProgramValue) => string | undefined) | null>();
  return (value) => {
    const addon = addons.get(value);
    if (addon !== undefined)
      return `the native addon ${addon}: its state lives in native code, which Ferry cannot carry`;
    const proto = Object.getPrototypeOf(value);
    let why = byPrototype.get(proto);
    if (why === undefined) {
      why = checks.find(([ctor]) => value instanceof (ctor as ProgramValue))?.[1] ?? null;
      byPrototype.set(proto, why);
    }
    return why ? why(value) : undefined;
  };
}

/** EventEmitter's own `kCapture` flag (lib/events.js), set by captureRejections. */
function capturesRejections(events: { EventEmitter: { prototype: object } }, emitter: object): boolean {
  const kCapture = Object.getOwnPropertySymbols(events.EventEmitter.prototype).find(
    (s) => s.description === 'kCapture',
  );
  return kCapture !== undefined && !!(emitter as Record<symbol, unknown>)[kCapture];
}

/**
 * A tick Node queued once a write to process.stdout or stderr (console.log) went through: it only
 * settles that stream's own bookkeeping, which the restored process's stdio starts afresh.
 */
function isStdioWriteDone(
  tick: QueuedTick,
  registry: Registry,
  isUserCallback: (fn: ProgramFunction) => boolean,
): boolean {
  const info = tick.args?.[0] as { stream?: object; cb?: ProgramFunction } | undefined;
  return (
    tick.callback.name === 'afterWriteTick' &&
    info?.stream !== undefined &&
    registry.has(info.stream) &&
    !(typeof info.cb === 'function' && isUserCallback(info.cb))
  );
}
