// Objects and closures that Node itself makes for a program (util.deprecate wrappers, util.debuglog
// loggers, diagnostics_channel channels, URLs, text codecs, abort controllers) cannot be copied: their code is the runtime's and their
// identity may be registered inside it. Each is made again at restore by calling the same public
// factory with the arguments it was made with, read from its closure or its own properties.
import { builtinPath, isConstructorPrototype, replicaPath } from '../../heap/builtins';
import type { Introspector } from './inspector';
import type { HeapGraph, HeapGraphSource } from './heap-graph';
import { PIPE_LISTENER_NAMES } from '../../heap/node-streams';
import type { CoreStreams } from './core-streams';
import type { EventIterators } from './event-iterators';
import { READLINE_LISTENER_NAMES, READLINE_LISTENER_SOURCES, type ReadlineListenerName } from '../../heap/readline';
import { flatListeners, hasListeners } from './event-targets';
import { callSiteAnswers } from '../../heap/call-sites';
import type { ProgramFunction, ProgramValue } from '../../heap/program-value';

export interface FactoryCall {
  /** A built-in path (snapshot/heap/builtins.ts) naming the factory. */
  path: string;
  args: unknown[];
}

/** A factory call re-making `value`, a reason it cannot be re-made, or undefined when Node did not make it. */
export type NodeFactoryCheck = (value: object) => FactoryCall | string | undefined;

type Scope = { object: Record<string, unknown> };

type Recogniser = (value: ProgramValue) => FactoryCall | string | undefined;

/** What recognising Node's objects needs of the capture, shared by the recognisers below. */
interface FactoryContext {
  getBuiltin: (name: string) => ProgramValue;
  loaded: string[];
  introspector: Introspector;
  heapGraph: HeapGraphSource;
  isInternalScript: (scriptId: string) => boolean;
  /** The closure variables of a function of Node's own, innermost scope first; undefined for the program's functions. */
  internalScopes: (fn: ProgramFunction) => Scope[] | undefined;
}

/** The text of Node 24's writable callback (lib/internal/streams/writable.js). */
const NODE_ONWRITE_ARROW = '(er) => onwrite(stream, er)';

const scopeWith = (scopes: Scope[], ...names: string[]) =>
  scopes.find((s) => names.every((name) => Object.hasOwn(s.object, name)))?.object;

export function nodeFactoryCheck(
  getBuiltin: (name: string) => ProgramValue,
  loaded: string[],
  introspector: Introspector,
  heapGraph: HeapGraphSource,
  isInternalScript: (scriptId: string) => boolean,
  streams?: CoreStreams,
  eventIterators?: EventIterators,
): NodeFactoryCheck {
  const internalScopes = (fn: ProgramFunction): Scope[] | undefined =>
    introspector.scopesIf(fn, (location) => isInternalScript(location.scriptId)) as Scope[] | undefined;
  const context: FactoryContext = { getBuiltin, loaded, introspector, heapGraph, isInternalScript, internalScopes };
  const functions = functionFactories(context, streams);
  const channelKinds = channelFactories(context);
  const platform = platformFactories(context);
  const promisified = promisifiedCheck(context);

  return (value) => {
    if (typeof value === 'function') {
      // Read by descriptor: a program's class may have a `static get name()`, which must not run here.
      const name = Object.getOwnPropertyDescriptor(value, 'name')?.value;
      const recognise = typeof name === 'string' && Object.hasOwn(functions, name) ? functions[name] : undefined;
      return recognise?.(value) ?? promisified(value) ?? eventIterators?.factoryCall(value);
    }
    // A subclass's prototype object inherits from a platform prototype but is no instance: its
    // getters (a DOMException's name) would throw on it. It is walked as the object it is.
    if (isConstructorPrototype(value)) return undefined;
    const proto = Object.getPrototypeOf(value);
    return (channelKinds.get(proto) ?? platform.get(proto))?.(value) ?? eventIterators?.factoryCall(value);
  };
}

/** Functions Node made, recognised by their name: util.deprecate and debuglog, pipe's and readline's listeners. */
function functionFactories(context: FactoryContext, streams: CoreStreams | undefined): Record<string, Recogniser> {
  const { internalScopes, loaded, getBuiltin } = context;
  const functions: Record<string, Recogniser> = {
    // util.deprecate(fn, msg, code): `function deprecated(...args)` closing over `fn`, and over
    // msg and code directly (older Node) or through its `emitDeprecationWarning` closure (in the
    // same scope, or in a block scope of its own in Node 24).
    deprecated: (fn) => {
      const scopes = internalScopes(fn) ?? [];
      const own = scopeWith(scopes, 'fn');
      if (!own) return undefined;
      const emitter = scopeWith(scopes, 'emitDeprecationWarning')?.emitDeprecationWarning;
      const warning = Object.hasOwn(own, 'msg')
        ? own
        : typeof emitter === 'function'
          ? scopeWith(internalScopes(emitter) ?? [], 'msg')
          : undefined;
      return (
        warning && {
          path: builtinPath('module:util', 'deprecate'),
          args: warning.code === undefined ? [own.fn, warning.msg] : [own.fn, warning.msg, warning.code],
        }
      );
    },
    // emitter.once(type, listener) in Node 24: `function wrapper(...args)` closing over its state
    // (Node 20 and 22 bind onceWrapper to a state object instead: heap/builtins.ts ferry:onceWrapper).
    wrapper: (fn) => {
      const scope = scopeWith(internalScopes(fn) ?? [], 'listener', 'type', 'target', 'fired');
      return scope && { path: replicaPath('onceWrap'), args: [scope.target, scope.type, scope.listener, scope.fired] };
    },
    // util.debuglog(set, cb): `const logger = (...args) => ...` closing over them (`set` upper-cased once used).
    logger: (fn) => {
      const scope = scopeWith(internalScopes(fn) ?? [], 'set', 'cb');
      return (
        scope && {
          path: builtinPath('module:util', 'debuglog'),
          args: scope.cb === undefined ? [scope.set] : [scope.set, scope.cb],
        }
      );
    },
  };
  if (streams) Object.assign(functions, streamFunctions(context, streams));

  // readline: an Interface's listeners on its input and on itself, over `self` and `input`.
  if (loaded.includes('readline')) {
    const readline = getBuiltin('readline');
    const Interface = Object.getPrototypeOf(readline.Interface.prototype).constructor;
    for (const name of READLINE_LISTENER_NAMES) {
      const before = functions[name]; // pipe()'s listeners share some of these names
      functions[name] = (fn) => before?.(fn) ?? readlineListenerCall(fn, name, Interface, internalScopes);
    }
  }

  // http: the listeners an Agent's constructor puts on it: `free`, nameless (Node 24's onwrite shares the name).
  if (loaded.includes('http') || loaded.includes('https')) {
    const agentListener = httpAgentListenerCheck(context);
    for (const name of ['', 'maybeEnableKeylog']) {
      const before = functions[name];
      functions[name] = (fn) => before?.(fn) ?? agentListener(fn);
    }
  }
  return functions;
}

/** Node's functions of a stream, recognised by their name: pipe()'s listeners, a writable's write callback. */
function streamFunctions(context: FactoryContext, streams: CoreStreams): Record<string, Recogniser> {
  const { internalScopes, introspector, isInternalScript } = context;
  const functions: Record<string, Recogniser> = {};
  // pipe()'s listeners close over the pipe's `src` and `dest` (lib/internal/streams/readable.js).
  const pipeScope = (fn: ProgramFunction) => scopeWith(internalScopes(fn) ?? [], 'src', 'dest', 'cleanedUp');
  for (const name of PIPE_LISTENER_NAMES) functions[name] = (fn) => streams.pipeListener(fn, pipeScope);
  // A writable's `onwrite.bind(undefined, stream)` (lib/internal/streams/writable.js).
  functions['bound onwrite'] = (fn) => {
    const slots = introspector.internals(fn);
    const target = slots['[[TargetFunction]]'] as ProgramFunction | undefined;
    const location = target && introspector.location(target);
    return location && isInternalScript(location.scriptId)
      ? streams.onwrite(fn, Array.from((slots['[[BoundArgs]]'] as unknown[]) ?? []))
      : undefined;
  };
  // Node 24's: `(er) => onwrite(stream, er)`, nameless, closing over `stream`. Nameless
  // functions are many: only one reading as Node's is looked into.
  functions[''] = (fn) => {
    if (Function.prototype.toString.call(fn) !== NODE_ONWRITE_ARROW) return undefined;
    const scope = scopeWith(internalScopes(fn) ?? [], 'stream');
    return scope && streams.onwrite(fn, [scope.stream]);
  };
  return functions;
}

const HTTP_AGENT_EVENTS = ['free', 'newListener'];

/**
 * A listener http.Agent's constructor put on an agent, made again by that constructor run on the
 * restored agent (`free` closes over its agent through `this`, which no scope shows): found among
 * the listeners of the program's agents, listed once by a heap query (a full GC), which only a
 * function whose text is one of those listeners' calls for (they read alike on every agent, and
 * the global agent shows them; a program whose global agent shows none asks for every candidate).
 */
function httpAgentListenerCheck({ getBuiltin, introspector, isInternalScript }: FactoryContext): Recogniser {
  let owners: Map<unknown, [object, string]> | undefined;
  const isNodes = (fn: unknown) => {
    const location = typeof fn === 'function' ? introspector.location(fn) : undefined;
    return location !== undefined && isInternalScript(location.scriptId);
  };
  const nodesListeners = (agent: ProgramValue) =>
    HTTP_AGENT_EVENTS.flatMap((event) =>
      [agent?._events?.[event]].flat().flatMap((listener) => (isNodes(listener) ? [{ listener, event }] : [])),
    );
  let texts: Set<string> | undefined;
  return (fn) => {
    texts ??= new Set(
      nodesListeners(getBuiltin('http').globalAgent).map(({ listener }) => Function.prototype.toString.call(listener)),
    );
    if (texts.size > 0 && !texts.has(Function.prototype.toString.call(fn))) return undefined;
    if (!owners) {
      owners = new Map();
      for (const agent of introspector.instances(getBuiltin('http').Agent.prototype) as ProgramValue[])
        for (const { listener, event } of nodesListeners(agent)) owners.set(listener, [agent, event]);
    }
    const owner = owners.get(fn);
    return owner && { path: replicaPath('httpAgentListener'), args: owner };
  };
}

/**
 * diagnostics_channel: a channel is registered by name, so only `channel(name)` gives the one
 * Node's own publishers use. Their prototypes are found on probes made once here.
 */
function channelFactories({
  getBuiltin,
  loaded,
}: FactoryContext): Map<object, (value: ProgramValue) => FactoryCall | string> {
  const channelKinds = new Map<object, (value: ProgramValue) => FactoryCall | string>();
  if (loaded.includes('diagnostics_channel')) {
    const dc = getBuiltin('diagnostics_channel');
    const subscribers = (channel: ProgramValue) =>
      `a diagnostics channel (${String(channel.name)}) with subscribers, which are not carried yet`;
    const byName = (value: ProgramValue): FactoryCall | string =>
      value.hasSubscribers
        ? subscribers(value)
        : { path: builtinPath('module:diagnostics_channel', 'channel'), args: [value.name] };
    // A channel's prototype changes while it has subscribers (Channel, ActiveChannel): both are learned.
    const probe = dc.channel(Symbol('ferry probe'));
    channelKinds.set(Object.getPrototypeOf(probe), byName);
    const noop = () => undefined;
    probe.subscribe(noop);
    channelKinds.set(Object.getPrototypeOf(probe), byName);
    probe.unsubscribe(noop);
    if (typeof dc.tracingChannel === 'function') {
      channelKinds.set(Object.getPrototypeOf(dc.tracingChannel('ferry-probe')), (value) => {
        const busy = ['start', 'end', 'asyncStart', 'asyncEnd', 'error']
          .map((event) => value[event])
          .find((channel) => channel?.hasSubscribers);
        if (busy) return subscribers(busy);
        const name = /^tracing:(.*):start$/.exec(String(value.start?.name))?.[1];
        return name === undefined
          ? 'a diagnostics_channel TracingChannel made of separate channels (not carried yet)'
          : { path: builtinPath('module:diagnostics_channel', 'tracingChannel'), args: [name] };
      });
    }
  }
  return channelKinds;
}

/**
 * Platform classes whose state lives in private fields or native handles: made again from what
 * their public API reads back. A URL's own searchParams (#context names its URL) is that URL's again.
 */
/** The prototype of V8's CallSites (the frames Error.prepareStackTrace is given), from one stack taken here. */
function callSitePrototype(): object | undefined {
  // The program's own settings (or their absence) are put back exactly.
  const keys = ['prepareStackTrace', 'stackTraceLimit'] as const;
  const saved = keys.map((key) => Reflect.getOwnPropertyDescriptor(Error, key));
  try {
    Object.assign(Error, { prepareStackTrace: (_: unknown, frames: object[]) => frames, stackTraceLimit: 1 });
    const frames: unknown = new Error().stack;
    return Array.isArray(frames) && frames.length > 0 ? Object.getPrototypeOf(frames[0]) : undefined;
  } finally {
    keys.forEach((key, i) =>
      saved[i] ? Reflect.defineProperty(Error, key, saved[i]) : Reflect.deleteProperty(Error, key),
    );
  }
}

/** A CallSite is made again as a stand-in giving its methods' answers (heap/call-sites.ts). */
function callSiteFactory(): Array<[object, (site: ProgramValue) => FactoryCall]> {
  const prototype = callSitePrototype();
  return prototype
    ? [[prototype, (site) => ({ path: replicaPath('newCallSite'), args: [callSiteAnswers(site)] })]]
    : [];
}

function platformFactories(context: FactoryContext): Map<object, (value: ProgramValue) => FactoryCall | string> {
  const { introspector } = context;
  const g = globalThis as ProgramValue;
  let controllers: Map<unknown, object> | undefined; // signal → its controller, found by a heap query when first needed
  const platform = new Map<object, (value: ProgramValue) => FactoryCall | string>([
    [g.URL.prototype, (url) => ({ path: replicaPath('newURL'), args: [url.href] })],
    [
      g.URLSearchParams.prototype,
      (params) => {
        const url = introspector.privateFields(params).find((field) => field.name === '#context')?.value;
        return url instanceof g.URL
          ? { path: replicaPath('searchParamsOf'), args: [url] }
          : { path: replicaPath('newURLSearchParams'), args: [params.toString()] };
      },
    ],
    [g.TextEncoder.prototype, () => ({ path: replicaPath('newTextEncoder'), args: [] })],
    ...callSiteFactory(),
    [
      g.TextDecoder.prototype,
      (decoder) => ({
        path: replicaPath('newTextDecoder'),
        args: [decoder.encoding, decoder.fatal, decoder.ignoreBOM],
      }),
    ],
    [
      g.AbortController.prototype,
      (controller) => {
        const listeners = flatListeners(controller.signal);
        return typeof listeners === 'string'
          ? listeners
          : {
              path: replicaPath('newAbortController'),
              args: [controller.signal.aborted, controller.signal.reason, ...listeners],
            };
      },
    ],
    // A controller's signal is that controller's again; other signals (AbortSignal.timeout, any) only when fired and unheard.
    [
      g.AbortSignal.prototype,
      (signal) => {
        const controller = (controllers ??= new Map(
          introspector.instances(g.AbortController.prototype).map((c: ProgramValue) => [c.signal, c]),
        )).get(signal);
        if (controller) return { path: replicaPath('signalOf'), args: [controller] };
        if (signal.aborted && !hasListeners(signal))
          return { path: builtinPath('global:AbortSignal', 'abort'), args: [signal.reason] };
        const listeners = flatListeners(signal);
        if (typeof listeners === 'string') return listeners;
        return canNeverAbort(signal)
          ? { path: replicaPath('signalOfDroppedController'), args: listeners }
          : 'an AbortSignal of no AbortController (AbortSignal.timeout or any) that has not fired or has listeners: not carried yet';
      },
    ],
  ]);
  for (const [proto, recognise] of internalSlotFactories(context)) platform.set(proto, recognise);
  // fetch() is loaded on first use: asking for Response before that would load it.
  if ((process as ProgramValue).moduleLoadList.includes('NativeModule internal/deps/undici/undici'))
    platform.set(g.Response.prototype, fetchResponseCall);
  return platform;
}

/**
 * A fetch() Response whose body has been read (or has none), the one a loop of fetches keeps in
 * its variable: made again with its status, headers and where it came from. One whose body is
 * still to come over its connection cannot be.
 */
function fetchResponseCall(response: ProgramValue): FactoryCall | string {
  if (response.body !== null && !response.bodyUsed)
    return 'a fetch() Response whose body is not read yet (it comes over a connection): read it before the checkpoint';
  const { status, statusText, url, redirected, type, bodyUsed } = response;
  const facts = { status, statusText, headers: [...response.headers], url, redirected, type, bodyUsed };
  return { path: replicaPath('newResponse'), args: [JSON.stringify(facts)] };
}

/**
 * V8 objects whose state lives in internal slots: a formatter is made again from its resolved
 * options, a WeakRef from its target, a DOMException (its message and name are in a map of Node's)
 * from them; a StringDecoder from its encoding and the bytes of a character it has part of.
 */
function internalSlotFactories({
  getBuiltin,
  loaded,
  introspector,
  heapGraph,
}: FactoryContext): Map<object, (value: ProgramValue) => FactoryCall | string> {
  const g = globalThis as ProgramValue;
  const factories = new Map<object, (value: ProgramValue) => FactoryCall | string>([
    [
      Intl.Locale.prototype,
      (locale) => ({ path: replicaPath('newIntl'), args: ['Locale', JSON.stringify({ locale: locale.toString() })] }),
    ],
    // One whose target was collected is made on a target the restore collects again.
    [
      WeakRef.prototype,
      (ref) => {
        const target = ref.deref();
        return target === undefined
          ? { path: replicaPath('newCollectedWeakRef'), args: [] }
          : { path: replicaPath('newWeakRef'), args: [target] };
      },
    ],
    [
      FinalizationRegistry.prototype,
      (registry) => finalizationRegistryCall(registry, introspector, heapGraph('FinalizationRegistry')),
    ],
    [
      g.DOMException.prototype,
      (error) =>
        Reflect.ownKeys(error).some((key) => key !== 'stack')
          ? `a DOMException (${error.name}) with properties of its own, which are not carried yet`
          : { path: replicaPath('newDOMException'), args: [error.message, error.name, error.stack] },
    ],
  ]);
  for (const kind of INTL_FORMATTERS) {
    if (typeof (Intl as ProgramValue)[kind] === 'function')
      factories.set((Intl as ProgramValue)[kind].prototype, (formatter) => intlFormatterCall(kind, formatter));
  }
  // A string decoder keeps the bytes of a character it has only part of in a buffer under a symbol of its module's.
  if (loaded.includes('string_decoder')) {
    factories.set(getBuiltin('string_decoder').StringDecoder.prototype, (decoder) => {
      const state = Object.getOwnPropertySymbols(decoder).find((key) => key.description === 'kNativeDecoder');
      // Its bytes as a string: factory arguments must be whole when the factory runs, before
      // objects are filled (and a Buffer made now could land in a pool slab already written).
      return state
        ? {
            path: replicaPath('newStringDecoder'),
            args: [decoder.encoding, String.fromCharCode(...(decoder[state] as Uint8Array))],
          }
        : 'a StringDecoder of a kind this Node version does not make';
    });
  }
  return factories;
}

/**
 * util.promisify(original): a function carrying itself under util.promisify.custom (and the
 * name of `original`), closing over `original`.
 */
function promisifiedCheck({
  getBuiltin,
  internalScopes,
}: FactoryContext): (fn: ProgramFunction) => FactoryCall | undefined {
  const custom = getBuiltin('util').promisify.custom as symbol;
  return (fn) => {
    if (Object.getOwnPropertyDescriptor(fn, custom)?.value !== fn) return undefined;
    const scope = scopeWith(internalScopes(fn) ?? [], 'original');
    return scope && { path: builtinPath('module:util', 'promisify'), args: [scope.original] };
  };
}

/** A listener a readline Interface not on a terminal added, if `fn` is one: made again by Ferry's copy of it (heap/readline.ts). */
function readlineListenerCall(
  fn: ProgramFunction,
  name: ReadlineListenerName,
  Interface: ProgramFunction,
  internalScopes: (fn: ProgramFunction) => Scope[] | undefined,
): FactoryCall | string | undefined {
  const scope = internalScopes(fn)?.find((s) => Object.hasOwn(s.object, 'self') && Object.hasOwn(s.object, 'input'));
  const { self, input } = scope?.object ?? {};
  if (!(self instanceof Interface)) return undefined;
  const source = Function.prototype.toString.call(fn).replace(/\s+/g, ' ');
  if (source !== READLINE_LISTENER_SOURCES[name])
    return `a listener of a readline Interface (${name}) unlike the one Ferry copies (${process.version}): not carried`;
  return { path: replicaPath('readlineListener'), args: [self, input, name] };
}

const INTL_FORMATTERS = [
  'NumberFormat',
  'DateTimeFormat',
  'Collator',
  'PluralRules',
  'RelativeTimeFormat',
  'ListFormat',
  'Segmenter',
  'DisplayNames',
];

/**
 * An Intl formatter from its resolved options, when they make an identical formatter (its locale
 * and time zone are the origin's): the same options, and the same output on fixed samples. The
 * options do not say everything (a ja-JP date with `month: 'short'` is written 2024年4月3日 by the
 * formatter and 2024/4/3 by one made from its resolved options).
 */
function intlFormatterCall(kind: string, formatter: { resolvedOptions(): object }): FactoryCall | string {
  const options = JSON.stringify(formatter.resolvedOptions());
  const parsed = JSON.parse(options);
  const again = new (Intl as ProgramValue)[kind](parsed.locale, parsed);
  if (JSON.stringify(again.resolvedOptions()) !== options)
    return `an Intl.${kind} whose resolved options do not make it again (${options})`;
  const sample = INTL_SAMPLES[kind];
  const [expected, made] = [formatter, again].map((f) => JSON.stringify(sample ? sampled(() => sample(f)) : null));
  if (made !== expected)
    return `an Intl.${kind} that its resolved options make again with another output (${expected} became ${made}; ${options})`;
  return { path: replicaPath('newIntl'), args: [kind, options] };
}

function sampled(run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    return `throws ${String(error)}`;
  }
}

const SAMPLE_DATES = [
  Date.UTC(2024, 3, 3, 12, 5, 6, 789),
  Date.UTC(1999, 11, 31, 23, 59, 59),
  0,
  Date.UTC(2024, 9, 27, 1, 2, 3),
];
const SAMPLE_NUMBERS = [0, -1.5, 1234567.891, 0.000123, 42, 1e21, -0, NaN, Infinity];

/** What each kind of formatter makes of fixed inputs, compared between a formatter and its remake. */
const INTL_SAMPLES: Record<string, (formatter: ProgramValue) => unknown> = {
  NumberFormat: (f) => SAMPLE_NUMBERS.map((n) => f.formatToParts(n)),
  DateTimeFormat: (f) => SAMPLE_DATES.map((d) => f.formatToParts(d)),
  Collator: (f) =>
    [
      ['a', 'B'],
      ['ä', 'a'],
      ['10', '9'],
      ['', 'a'],
      ['résumé', 'resume'],
      ['A', 'a'],
    ].map(([x, y]) => f.compare(x, y)),
  PluralRules: (f) => [0, 1, 2, 3, 5, 1.5, 11, 21, 100].map((n) => f.select(n)),
  RelativeTimeFormat: (f) =>
    [
      [-1, 'day'],
      [2, 'month'],
      [0, 'year'],
      [1.5, 'hour'],
      [-3, 'week'],
    ].map(([n, unit]) => f.formatToParts(n, unit)),
  ListFormat: (f) => [['a'], ['a', 'b'], ['a', 'b', 'c']].map((list) => f.formatToParts(list)),
  Segmenter: (f) =>
    Array.from(f.segment('Hello, world. 日本語です。 Ça va?'), ({ segment, index, isWordLike }: ProgramValue) => [
      segment,
      index,
      isWordLike,
    ]),
  DisplayNames: (f) => ['US', 'en-US', 'Latn', 'EUR', 'gregory', 'year', 'ja'].map((code) => sampled(() => f.of(code))),
};

/**
 * A FinalizationRegistry is made again with its cleanup callback and its registrations, which only
 * the heap snapshot shows: the registry holds the heads of its lists of weak cells (the live ones,
 * and those whose target was collected, waiting for their cleanup), each cell its target and
 * unregister token (weak edges), the registry, its held value and its neighbours (hidden ones).
 */
function finalizationRegistryCall(
  registry: object,
  introspector: Introspector,
  graph: HeapGraph,
): FactoryCall | string {
  const [registryId] = introspector.heapIds([registry]);
  const edges = graph.edges(registryId);
  const cleanup = edges
    .filter((edge) => typeof edge.name === 'number' && !edge.toName.startsWith('system / '))
    .map((edge) => objectIfAny(introspector, edge.to))
    .find((value) => typeof value === 'function');
  if (!cleanup) return 'a FinalizationRegistry whose cleanup callback the heap snapshot does not show';
  const registrations: unknown[] = [];
  for (const cell of weakCells(graph, registryId)) {
    const registration = registrationOf(registry, cell, registryId, graph, introspector);
    if (typeof registration === 'string') return `a FinalizationRegistry holding ${registration}`;
    registrations.push(...registration);
  }
  return { path: replicaPath('newFinalizationRegistry'), args: [cleanup, ...registrations] };
}

const WEAK_CELL = 'system / WeakCell';

/** The heap ids of a registry's weak cells: the heads of its lists, and every cell linked from one. */
function weakCells(graph: HeapGraph, registryId: number): number[] {
  const found = new Set<number>();
  const queue = graph
    .edges(registryId)
    .filter((edge) => edge.toName === WEAK_CELL)
    .map((edge) => edge.to);
  for (let cell = queue.shift(); cell !== undefined; cell = queue.shift()) {
    if (found.has(cell)) continue;
    found.add(cell);
    for (const edge of graph.edges(cell)) if (edge.toName === WEAK_CELL && !found.has(edge.to)) queue.push(edge.to);
  }
  return [...found];
}

/**
 * One registration as the replica takes it: target (null once collected), held value, unregister
 * token; or what about it cannot be read. A held value is the cell's one hidden edge besides its
 * registry and its neighbours: a value the snapshot shows no edge for (undefined, null, a boolean,
 * a small integer) cannot be told from the others, nor read are numbers, symbols and long strings.
 */
function registrationOf(
  registry: object,
  cell: number,
  registryId: number,
  graph: HeapGraph,
  introspector: Introspector,
): [unknown, unknown, unknown] | string {
  const edges = graph.edges(cell);
  const hidden = edges.filter((edge) => typeof edge.name === 'number' && edge.toName !== WEAK_CELL);
  const registryAt = hidden.findIndex((edge) => edge.to === registryId);
  if (registryAt < 0) return 'a weak cell of another registry (the heap snapshot is not what Ferry expects)';
  const held = hidden.filter((_, i) => i !== registryAt);
  if (held.length !== 1)
    return 'a registration whose held value is undefined, null, a boolean or a small integer (the heap snapshot does not say which): not carried yet';
  const value = (edge: { to: number } | undefined): unknown =>
    edge === undefined ? undefined : (graph.stringValue(edge.to) ?? objectIfAny(introspector, edge.to));
  const heldValue = value(held[0]);
  if (heldValue === undefined)
    return 'a registration whose held value is a number, a symbol or a long string, which the heap snapshot does not show: not carried yet';
  const target = edges.find((edge) => edge.name === 'target');
  const token = edges.find((edge) => edge.name === 'unregister_token');
  const [targetValue, tokenValue] = [value(target), value(token)];
  // The registry is made from these: it cannot be one of them before it exists.
  if (heldValue === registry || tokenValue === registry)
    return 'a registration holding its own registry: not carried yet';
  if ((target && targetValue === undefined) || (token && tokenValue === undefined))
    return 'a registration whose target or unregister token is a symbol: not carried yet';
  return [target ? targetValue : null, heldValue, tokenValue];
}

/** The object a heap id names; undefined for what the inspector cannot hand over (a symbol, an internal array). */
function objectIfAny(introspector: Introspector, heapId: number): unknown {
  try {
    return introspector.objectByHeapId(heapId);
  } catch {
    return undefined;
  }
}

/**
 * A signal whose controller is gone (cockatiel's `neverAbortedSignal`), neither a timeout's nor
 * AbortSignal.any's (Node marks those with its own symbols), that has not fired: nothing can abort it
 * any more, as nothing can the signal of a controller made and dropped again.
 */
function canNeverAbort(signal: AbortSignal): boolean {
  const marked = (name: string) =>
    Object.getOwnPropertySymbols(signal).some((key) => key.description === name && (signal as ProgramValue)[key]);
  return !signal.aborted && !marked('kTimeout') && !marked('kComposite');
}
