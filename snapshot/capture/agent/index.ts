// The capture agent: evaluated inside the stopped target, it walks everything the program owns
// from its roots and writes the heap records to a file. It leaves nothing behind: no globals
// (the introspector's temporary key is deleted), no object groups, no listeners.
import { K } from '../../heap/tags';
import { encodeStrings } from '../../heap/writer';
import { Introspector } from './inspector';
import { buildRegistry } from './registry';
import type { PristineKeys } from '../../heap/builtins';
import { loadNatives } from './shapes';
import { openFiles as listOpenFiles } from './files';
import { type OpenFileRecord } from '../../format/manifest';
import { HandleWriter, readTimerLists } from './handles';
import { HeapWalker, type Refusal } from './walker';
import { type FunctionSite, type FramePlacement } from '../../format/sections';
import { PausedFrames, type FrameInput, type SuspendedSite } from './frame-values';
import { heapGraphOf, type HeapGraph } from './heap-graph';
import { ProxyRevokers } from './proxy-revokers';
import { PendingPromises } from './promises';
import { suspendedLoops } from './suspended-loops';
import { nodeFactoryCheck } from './node-factories';
import { coreStreams } from './core-streams';
import { EventIterators } from './event-iterators';
import { streamProbes } from '../../heap/node-streams';
import { readlineProbes } from '../../heap/readline';
import { withoutFerryEnv } from '../../format/ferry-env';
import type { ProgramFunction, ProgramValue } from '../../heap/program-value';

/** Where Node's fetch() (undici) keeps its dispatcher: a global under this registered symbol. */
const FETCH_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

export interface AgentOptions {
  internalScriptIds: string[];
  /** Own global names of a fresh process of the target's Node: anything else the program added. */
  builtinGlobals: string[];
  /** Own keys of the globals and their prototypes in that fresh process (see PristineKeys). */
  builtinKeys: PristineKeys;
  /** Per user script: what its source says (capture/analysis.ts). */
  scriptFacts: Record<
    string,
    {
      moduleNames: string[];
      mutableNames: string[];
      lexicalThisArrows: string[];
      superMethods: string[];
      evaluatedClassKeys: Record<string, string[]>;
    }
  >;
}

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
  const timings: Record<string, number> = {};
  const mark = (name: string, since: number) => (timings[name] = Math.round((performance.now() - since) * 100) / 100);
  const getBuiltin = (process as ProgramValue).getBuiltinModule as (name: string) => ProgramValue;
  if (typeof getBuiltin !== 'function')
    throw new Error(`Ferry needs Node >= 20.16 in the target (it has ${process.version})`);
  const Module = getBuiltin('module');
  const introspector = new Introspector(getBuiltin('inspector'));
  try {
    const internalScripts = new Set(options.internalScriptIds);
    const isInternalScript = (scriptId: string) => internalScripts.has(scriptId);
    const isUserFunction = (fn: ProgramFunction) => {
      const location = introspector.internals(fn).location;
      return !!location && !isInternalScript(location.scriptId);
    };
    const publicModules = new Set<string>(Module.builtinModules);
    const loaded = ((process as ProgramValue).moduleLoadList as string[])
      .filter((entry) => entry.startsWith('NativeModule '))
      .map((entry) => entry.slice('NativeModule '.length))
      .filter((name) => publicModules.has(name) && !name.startsWith('_'));
    let t = performance.now();
    const builtinGlobals = new Set(options.builtinGlobals);
    const registry = buildRegistry(getBuiltin, loaded, options.builtinGlobals, options.builtinKeys);
    const onceWrapper = nodeOnceWrapper(getBuiltin('events'), introspector);
    if (onceWrapper) registry.set(onceWrapper, 'ferry:onceWrapper');
    if (loaded.includes('stream'))
      for (const [path, value] of streamProbes(getBuiltin('stream')))
        if (!registry.has(value)) registry.set(value, path);
    if (loaded.includes('readline'))
      for (const [path, value] of readlineProbes(getBuiltin('readline'), getBuiltin('events')))
        if (!registry.has(value)) registry.set(value, path);
    mark('registry', t);

    // One heap snapshot at most, shared by the closure contexts and the pending promises.
    let graph: HeapGraph | undefined;
    const heapGraph = () => (graph ??= heapGraphOf(introspector.heapSnapshot()));
    const promises = new PendingPromises(introspector, heapGraph);
    promises.prepare();
    const revokers = new ProxyRevokers(introspector, heapGraph);
    // A timer may call a promise's resolve function (`new Promise((r) => setTimeout(r, ms))`): a
    // nameless native function, checked in the heap snapshot only then.
    // Bound functions and `once` wrappers are the program's when what they call is.
    const isUserCallback = (fn: ProgramFunction): boolean => {
      if (isUserFunction(fn)) return true;
      if (!/\[native code\] \}$/.test(Function.prototype.toString.call(fn))) return false;
      if (fn.name === '' && promises.resolverOf(fn)) return true;
      const target = introspector.internals(fn)['[[TargetFunction]]'] as ProgramFunction | undefined;
      if (target === undefined) return false;
      if (target === onceWrapper)
        return typeof (fn as ProgramValue).listener === 'function' && isUserCallback((fn as ProgramValue).listener);
      return isUserCallback(target);
    };

    const timersModule = getBuiltin('timers');
    const running = stack?.running
      ? {
          kind: stack.running.kind,
          value: stack.values[stack.running.value] as ProgramValue,
          start: stack.running.start === undefined ? undefined : (stack.values[stack.running.start] as number),
        }
      : undefined;
    // Time spent stopped at a breakpoint does not count either: the program's clock stood still.
    const stoppedAt = stack && performance.now() - Math.max(0, Date.now() - stack.stoppedAt);
    const lists = readTimerLists(
      introspector,
      timersModule,
      idle ??
        (stoppedAt !== undefined
          ? { pausedAt: stoppedAt, immediate: running?.kind === 'immediate' ? running.value : undefined }
          : undefined),
    );
    // An interval whose callback is on the stack is off its list until it returns: Node re-arms it from `start`.
    if (running?.kind === 'timer' && running.value._repeat && running.start !== undefined) {
      lists.rearmed.set(running.value, running.start);
      lists.timers.push(running.value);
    }
    const userTimers = lists.timers.filter(
      (timer: ProgramValue) => timer._onTimeout && isUserCallback(timer._onTimeout),
    );
    const userImmediates = lists.immediates.filter(
      (im: ProgramValue) => im._onImmediate && isUserCallback(im._onImmediate),
    );
    const warnings: string[] = [];
    const skippedTimers = lists.timers.length - userTimers.length;
    if (skippedTimers > 0)
      warnings.push(
        `${skippedTimers} timer(s) of the Node runtime itself were not carried (they are re-created by the objects that own them)`,
      );

    const net = loaded.includes('net') ? getBuiltin('net') : undefined;
    const handles: ProgramValue[] = (process as ProgramValue)._getActiveHandles();
    const servers = net ? handles.filter((h) => h instanceof net.Server && h.listening) : [];
    const fsModule = loaded.includes('fs') ? getBuiltin('fs') : undefined;
    const handleWriter = new HandleWriter(
      { ...lists, timers: userTimers, immediates: userImmediates },
      servers,
      isUserCallback,
      fsModule?.WriteStream,
      fileHandleCheck(isUserFunction),
    );
    const uncarriable = makeUncarriableCheck(getBuiltin, loaded, servers, nativeAddonParts(Module._cache));
    const streams = loaded.includes('stream')
      ? coreStreams(getBuiltin('stream'), registry, fsModule?.WriteStream)
      : undefined;
    // readline's own Interface class, which readline/promises' extends too.
    const readlineInterface = loaded.includes('readline')
      ? (Object.getPrototypeOf(getBuiltin('readline').Interface.prototype).constructor as ProgramFunction)
      : undefined;
    const eventIterators = new EventIterators({
      internalScopes: (fn) => {
        const slots = introspector.internals(fn);
        if (!slots.location || !isInternalScript(slots.location.scriptId)) return undefined;
        return Array.from((slots['[[Scopes]]'] as ArrayLike<{ object: ProgramValue }>) ?? [], (s) => s.object);
      },
      promiseOfResolver: (fn) => promises.resolverOf(fn)?.promise,
      isReadline: (emitter) => readlineInterface !== undefined && emitter instanceof readlineInterface,
    });
    const requireFunctions = new Map<ProgramFunction, object>();
    const facts = new Map(
      Object.entries(options.scriptFacts).map(([scriptId, f]) => [
        scriptId,
        {
          moduleNames: new Set(f.moduleNames),
          mutableNames: new Set(f.mutableNames),
          lexicalThisArrows: new Set(f.lexicalThisArrows),
          superMethods: new Set(f.superMethods),
          evaluatedClassKeys: new Map(Object.entries(f.evaluatedClassKeys)),
        },
      ]),
    );

    // Paused frames (Checkpoint Here) first, then every async function found suspended in the walk.
    const frames: PausedFrames = new PausedFrames(stack?.frames ?? [], stack?.values ?? [], {
      locationOf: (fn) => introspector.internals(fn).location,
      internals: (value) => introspector.internals(value),
      promiseOf: (asyncFunction) => promises.promiseOf(asyncFunction),
      awaitOfGenerator: (generator) => promises.awaitOfGenerator(generator),
      runningAsyncFunctions: (location) => promises.runningAsyncFunctions(location),
      loopsOf: (suspended, source, scopes) =>
        suspendedLoops(suspended, source, scopes, {
          graph: heapGraph,
          heapIds: (objects) => introspector.heapIds(objects),
          objectByHeapId: (heapId) => introspector.objectByHeapId(heapId),
          internals: (value) => introspector.internals(value),
          types: getBuiltin('util').types,
          isEventIterator: (value) => typeof eventIterators.factoryCall(value) === 'object',
        }),
      root: (name, value) => walker.root(name, value),
      id: (value, from, key) => walker.id(value, from, key),
      refuse: (id, reason) => walker.addRefusal(id, reason),
    });
    const walker: HeapWalker = new HeapWalker({
      heapGraph,
      promises,
      proxyOfRevokeFunction: (fn) => revokers.proxyOf(fn),
      suspended: (asyncFunction, awaited) => frames.addSuspended(asyncFunction, { awaited }),
      suspendedGenerator: (generator, id) => frames.addSuspended(generator, { generator: id }),
      runningGenerator: (generator, id) => frames.matchRunningGenerator(generator, id),
      registry,
      introspector,
      isInternalScript,
      uncarriable,
      nodeFactory: nodeFactoryCheck(
        getBuiltin,
        loaded,
        introspector,
        heapGraph,
        isInternalScript,
        streams,
        eventIterators,
      ),
      eventIteratorState: (value) => eventIterators.state(value),
      coreStreamClass: (value) => streams?.classOf(value),
      natives: loadNatives(getBuiltin('v8')),
      scriptFacts: (scriptId) => facts.get(scriptId),
      writeHandle: (w, value) => {
        const id = w.ids.get(value)!;
        if (handleWriter.write(w, value, id)) return true;
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
            requireFunctions.get(value as ProgramFunction) ?? moduleOfRequire(introspector, value as ProgramFunction),
            id,
            '[[Module]]',
          );
          return true;
        }
        return false;
      },
    });

    // Roots first, each under a readable name for error paths.
    t = performance.now();
    const cache = Module._cache as Record<string, ProgramValue>;
    const modules = Object.keys(cache);
    for (const filename of modules) walker.root(`module ${filename}`, cache[filename]);
    const globals = Object.create(null);
    for (const key of Reflect.ownKeys(globalThis)) {
      if (typeof key === 'string' && (builtinGlobals.has(key) || key.startsWith('__ferry_'))) continue;
      const descriptor = Reflect.getOwnPropertyDescriptor(globalThis, key)!;
      // fetch()'s connection pool, Node's own: left behind (its idle connections were closed at the
      // idle point); the restored process makes a fresh one at its first fetch().
      if (
        key === FETCH_DISPATCHER &&
        typeof descriptor.value?.constructor === 'function' &&
        !isUserFunction(descriptor.value.constructor)
      )
        continue;
      Reflect.defineProperty(globals, key, descriptor);
      if (
        'value' in descriptor &&
        descriptor.value !== null &&
        (typeof descriptor.value === 'object' || typeof descriptor.value === 'function')
      ) {
        walker.root(`global ${String(key)}`, descriptor.value);
      }
    }
    userTimers.forEach((timer, i) => walker.root(`timer #${i + 1}`, timer));
    userImmediates.forEach((im, i) => walker.root(`immediate #${i + 1}`, im));
    servers.forEach((server, i) => walker.root(`server #${i + 1}`, server));
    const processListeners: unknown[] = [];
    const events = (process as ProgramValue)._events ?? {};
    for (const name of Reflect.ownKeys(events)) {
      for (const raw of process.rawListeners(name as ProgramValue) as ProgramValue[]) {
        const once = typeof raw.listener === 'function';
        const fn = once ? raw.listener : raw;
        if (!isUserCallback(fn)) continue;
        walker.root(`process.on(${String(name)})`, fn);
        processListeners.push([name, fn, once]);
      }
    }
    const roots = {
      modules: modules.map((filename) => [filename, cache[filename]]),
      main: (process as ProgramValue).mainModule ?? null,
      globals,
      timers: userTimers,
      immediates: userImmediates,
      servers,
      processListeners,
    };
    const rootId = walker.root('roots', roots);
    frames.addRoots();
    walker.drain({ key: () => frames.count(), run: (closures) => frames.placeInContexts(closures) });
    mark('walk', t);

    const openFiles = listOpenFiles(getBuiltin('fs'), handleWriter.fileHandleDescriptors);
    for (const fd of handleWriter.fileHandleDescriptors)
      if (!openFiles.files.some((file) => file.fd === fd))
        walker.refusals.push({
          path: 'open files',
          reason: `a FileHandle on file descriptor ${fd}, which is not a regular file Ferry can open again`,
        });
    t = performance.now();
    const records = walker.out.result();
    const functionTable = walker.functionTable.result();
    const strings = encodeStrings(walker.strings.strings, (text, encoding) => Buffer.from(text, encoding));
    const header = Buffer.alloc(12);
    header.writeUInt32LE(walker.written, 0);
    header.writeUInt32LE(records.length, 4);
    header.writeUInt32LE(functionTable.length, 8);
    const heap = [header, records, functionTable, strings];
    mark('encode+write', t); // the name the benchmarks read: the write is now the capture's read of `heap`

    const mainModule = (process as ProgramValue).mainModule?.filename ?? null;
    for (const reason of openFiles.refusals) walker.refusals.push({ path: 'open files', reason });
    warnings.push(...openFiles.warnings);
    timings.total = Math.round((performance.now() - started) * 100) / 100;
    const summary: AgentSummary = {
      rootId,
      objectCount: walker.written,
      heapBytes: header.length + records.length + functionTable.length + strings.length,
      sites: walker.sites,
      refusals: walker.refusals,
      warnings: [...warnings, ...walker.warnings],
      modules,
      mainModule,
      timers: userTimers.length,
      immediates: userImmediates.length,
      files: openFiles.files,
      servers: servers.map((s: ProgramValue) => {
        const a = s.address();
        return typeof a === 'string'
          ? { address: a, port: null }
          : { address: a?.address ?? null, port: a?.port ?? null };
      }),
      process: {
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
      },
      timings,
      frames: frames.placements((value) => walker.ids.get(value)),
      suspended: frames.suspended,
    };
    return { summary, heap };
  } finally {
    introspector.dispose();
  }
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

/** The function events.js binds for `emitter.once`, found on a probe (Ferry restores its own copy, ferry:onceWrapper). */
function nodeOnceWrapper(events: ProgramValue, introspector: Introspector): ProgramFunction | undefined {
  const probe = new events.EventEmitter();
  probe.once('probe', () => undefined);
  return introspector.internals(probe.rawListeners('probe')[0])['[[TargetFunction]]'] as ProgramFunction | undefined;
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

/** V8's CallSite class (the frames Error.prepareStackTrace is given), from one stack taken here. */
function callSiteConstructor(): ProgramFunction | undefined {
  // The program's own settings (or their absence) are put back exactly.
  const keys = ['prepareStackTrace', 'stackTraceLimit'] as const;
  const saved = keys.map((key) => Reflect.getOwnPropertyDescriptor(Error, key));
  try {
    Object.assign(Error, { prepareStackTrace: (_: unknown, frames: object[]) => frames, stackTraceLimit: 1 });
    const frames: unknown = new Error().stack;
    return Array.isArray(frames) && frames.length > 0 ? Object.getPrototypeOf(frames[0]).constructor : undefined;
  } finally {
    keys.forEach((key, i) =>
      saved[i] ? Reflect.defineProperty(Error, key, saved[i]) : Reflect.deleteProperty(Error, key),
    );
  }
}

/** Things a process owns that cannot move with it: refused, with the reason, unless a policy says otherwise. */
function makeUncarriableCheck(
  getBuiltin: (name: string) => ProgramValue,
  loaded: string[],
  servers: object[],
  addons: Map<object, string>,
): (value: object) => string | undefined {
  const checks: Array<[ProgramFunction, (value: ProgramValue) => string | undefined]> = [];
  const add = (module: string, name: string, why: (value: ProgramValue) => string | undefined) => {
    if (!loaded.includes(module)) return;
    const ctor = getBuiltin(module)[name];
    if (typeof ctor === 'function') checks.push([ctor, why]);
  };
  add(
    'child_process',
    'ChildProcess',
    (cp) => `a child process (pid ${cp.pid}): child processes cannot move with the program`,
  );
  add('worker_threads', 'Worker', () => 'a worker thread: worker threads cannot be carried');
  add('net', 'Socket', (s) =>
    s.destroyed
      ? undefined
      : `a connected socket (${s.remoteAddress ?? 'pipe'}:${s.remotePort ?? ''}): open connections cannot be carried (close them before the checkpoint, or use the ferry:checkpoint event)`,
  );
  add('net', 'Server', (s) =>
    servers.includes(s) || !s.listening ? undefined : 'a server that is not listening on a TCP port',
  );
  add('crypto', 'Hash', () => 'a crypto Hash: its internal state cannot be read');
  add('crypto', 'Hmac', () => 'a crypto Hmac: its internal state cannot be read');
  add('fs', 'WriteStream', (s) => fileWriteStreamProblem(s));
  add('fs', 'ReadStream', (s) => `an fs read stream on ${s.path}: streams are not carried yet`);
  add('zlib', 'Gzip', () => 'a zlib stream: its internal state cannot be read');
  add('zlib', 'Gunzip', () => 'a zlib stream: its internal state cannot be read');
  const callSite = callSiteConstructor();
  if (callSite)
    checks.push([
      callSite,
      () =>
        'a V8 CallSite (a stack frame an Error.prepareStackTrace kept): V8 cannot make one again (keep what its methods return instead)',
    ]);
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
