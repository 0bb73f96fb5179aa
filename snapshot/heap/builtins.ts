// The built-in object graph, walked identically at capture and at restore so that a path such as
// `global:Array.prototype.map` or `module:fs.readFileSync` names the same object on both sides.

import { AFTER_WRITE_PATH, pipeListener, queuedAfterWrite, streamProbes } from './node-streams';
import { ListenerFlag } from './tags';
import { targetToCollect } from './collected-targets';
import { readlineListener, readlineProbes, type ReadlineListenerName } from './readline';
import { superOf } from './super-home';
import { restoredCallSite } from './call-sites';
import type { ProgramFunction, ProgramValue } from './program-value';

const MAX_DEPTH = 4;

/**
 * Exports Node keeps behind a getter that never becomes a data property, which programs copy as
 * values, each with the internal module its getter loads ('' when it loads none): read only once
 * that module is loaded, so that naming them loads nothing. CoffeeScript's `extends` (xml2js) copies
 * EventEmitter's enumerable statics onto a subclass; graceful-fs (under fs-extra) keeps fs's stream
 * classes, and `Object.assign` from fs copies `fs.promises`.
 */
const LAZY_EXPORTS: Record<string, string> = {
  EventEmitterAsyncResource: '',
  'module:fs.promises': 'internal/fs/promises',
  'module:fs.ReadStream': 'internal/fs/streams',
  'module:fs.WriteStream': 'internal/fs/streams',
  'module:fs.FileReadStream': 'internal/fs/streams',
  'module:fs.FileWriteStream': 'internal/fs/streams',
};

/** Whether the getter of `name` on the built-in at `path` is a lazy export that can be read now. */
function readableLazyExport(path: string, name: string): boolean {
  const internal = LAZY_EXPORTS[name] ?? LAZY_EXPORTS[`${path}.${name}`];
  if (internal === undefined) return false;
  const loadList = (process as unknown as { moduleLoadList: string[] }).moduleLoadList;
  return internal === '' || loadList.includes(`NativeModule ${internal}`);
}

/** The roots of the standard streams (`stdio:stdout`, `stdio:stderr`). */
export const STDIO_ROOT = 'stdio:';

/** Globals Node defines as getters that never become data properties (reading them loads at most one internal module). */
const ACCESSOR_GLOBALS = ['process', 'Buffer', 'performance', 'crypto', 'navigator'];

/**
 * A global's value as a built-in root: its data value, or for ACCESSOR_GLOBALS what its getter
 * returns (most lazy globals turn into data properties once used; those few stay getters).
 */
function globalValue(
  g: ProgramValue,
  name: string,
  descriptor: PropertyDescriptor,
  accessorGlobals: string[],
): unknown {
  return 'value' in descriptor ? descriptor.value : accessorGlobals.includes(name) ? g[name] : undefined;
}

/**
 * The roots of the built-in graph: the globals a fresh Node process has (`globalNames`), the
 * intrinsics reachable only through syntax, the standard streams, and the loaded built-in modules.
 */
export function builtinRoots(
  getBuiltin: (name: string) => unknown,
  loadedModules: string[],
  globalNames: string[],
): Array<[string, unknown]> {
  const roots: Array<[string, unknown]> = [];
  const g = globalThis as ProgramValue;
  for (const name of globalNames) {
    const descriptor = Object.getOwnPropertyDescriptor(g, name);
    if (!descriptor) continue;
    const value = globalValue(g, name, descriptor, ACCESSOR_GLOBALS);
    if (isWalkable(value)) roots.push([`global:${name}`, value]);
  }
  const intrinsics: Array<[string, unknown]> = [
    ['GeneratorFunction', Object.getPrototypeOf(function* () {})],
    ['AsyncFunction', Object.getPrototypeOf(async function () {})],
    ['AsyncGeneratorFunction', Object.getPrototypeOf(async function* () {})],
    ['Generator', Object.getPrototypeOf(function* () {}).prototype],
    ['AsyncGenerator', Object.getPrototypeOf(async function* () {}).prototype],
    ['TypedArray', Object.getPrototypeOf(Uint8Array)],
    ['ArrayIterator', Object.getPrototypeOf([][Symbol.iterator]())],
    ['MapIterator', Object.getPrototypeOf(new Map()[Symbol.iterator]())],
    ['SetIterator', Object.getPrototypeOf(new Set()[Symbol.iterator]())],
    ['IteratorPrototype', Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()))],
    ['StringIterator', Object.getPrototypeOf(''[Symbol.iterator]())],
    ['RegExpStringIterator', Object.getPrototypeOf(/(?:)/[Symbol.matchAll](''))],
    [
      'AsyncIteratorPrototype',
      Object.getPrototypeOf(Object.getPrototypeOf(Object.getPrototypeOf((async function* () {})()))),
    ],
  ];
  for (const [name, value] of intrinsics) roots.push([`intrinsic:${name}`, value]);
  // Lazy getters on process, read only here: the program has almost always touched them already.
  roots.push([`${STDIO_ROOT}stdout`, process.stdout], [`${STDIO_ROOT}stderr`, process.stderr]);
  // The environment is the process's: a restored program gets the checkpoint's values in its own.
  roots.push(['process:env', process.env]);
  for (const name of loadedModules) {
    try {
      roots.push([`module:${name}`, getBuiltin(name)]);
    } catch {
      // not a public module in this Node version
    }
  }
  return roots;
}

function isWalkable(value: unknown): value is object | symbol {
  return (typeof value === 'object' && value !== null) || typeof value === 'function' || typeof value === 'symbol';
}

// A path is its root then its steps, joined by NUL (no property name of a built-in contains one):
// `p:name` a data property, `get:name`/`set:name` an accessor, `s:desc`/`sget:desc`/`sset:desc` the same
// through a symbol key found by its description, `key:desc` that symbol itself, `proto` the prototype.
const SEP = '\u0000';
/** The steps through a symbol key (`set:` is a string key's setter). */
const SYMBOL_STEPS = ['s', 'sget', 'sset', 'key'];

/**
 * Own string keys per path in a fresh process, for the paths it has: global values and their
 * prototypes, loaded modules' exports and theirs (`builtinOwners`).
 */
export type PristineKeys = Record<string, string[]>;

/** The primitive values of the writable data properties of each path in a fresh process (`primitiveText`). */
export type PristineValues = Record<string, Record<string, string>>;

/**
 * The built-in objects whose own properties are compared with a fresh process's: each global's value
 * and its prototype, each loaded module's exports and their prototype. What a program added there
 * (`process.appState`, `Array.prototype.last`) or set (`Error.stackTraceLimit`) is its own state.
 */
export function builtinOwners(
  getBuiltin: (name: string) => unknown,
  loadedModules: string[],
  globalNames: string[],
): Array<[string, object]> {
  const owners: Array<[string, object]> = [];
  for (const [path, value] of builtinRoots(getBuiltin, loadedModules, globalNames)) {
    if (!OWNER_ROOT.test(path) || !isWalkable(value) || typeof value === 'symbol' || value === globalThis) continue;
    owners.push([path, value]);
    const proto = Object.getOwnPropertyDescriptor(value, 'prototype');
    if (proto?.value && typeof proto.value === 'object') owners.push([`${path}${SEP}p:prototype`, proto.value]);
  }
  for (const [path, [name]] of Object.entries(CONFIGURED_OBJECTS))
    if (loadedModules.includes(name)) owners.push([path, configuredObject(path, getBuiltin)]);
  return owners;
}

/** The roots (builtinRoots) whose objects are owners: globals and modules, not intrinsics or stdio. */
const OWNER_ROOT = /^(?:global|module):/;

/**
 * Objects of Node's behind getters that programs configure in place (`util.inspect.defaultOptions
 * .depth = null`, `http.globalAgent.maxSockets = 10`), with the module each belongs to: no path
 * names them, so each is read again the same way at restore. Only primitives set on them are carried.
 */
const CONFIGURED_OBJECTS: Record<string, [module: string, read: (exports: ProgramValue) => object]> = {
  'configured:util.inspect.defaultOptions': ['util', (util) => util.inspect.defaultOptions],
  'configured:http.globalAgent': ['http', (http) => http.globalAgent],
  'configured:https.globalAgent': ['https', (https) => https.globalAgent],
};

/** Whether `path` names one of CONFIGURED_OBJECTS. */
export function isConfiguredObject(path: string): boolean {
  return Object.hasOwn(CONFIGURED_OBJECTS, path);
}

/** The object of CONFIGURED_OBJECTS at `path`, in this process. */
export function configuredObject(path: string, getBuiltin: (name: string) => unknown): object {
  const [name, read] = CONFIGURED_OBJECTS[path];
  return read(getBuiltin(name) as ProgramValue);
}

/** A primitive as text that tells any two apart (a string from a number, `undefined` from `null`); objects have none. */
export function primitiveText(value: unknown): string | undefined {
  if ((typeof value === 'object' && value !== null) || typeof value === 'function' || typeof value === 'symbol')
    return undefined;
  return `${value === null ? 'null' : typeof value}:${String(value)}`;
}

/**
 * Accessors of Node's a program sets as settings, by owner path: their setters keep the value where
 * no property shows it, so they are read (and set again at restore) through the accessor.
 */
const SETTING_ACCESSORS: Record<string, string[]> = {
  'module:events': ['defaultMaxListeners', 'captureRejections'],
};

/** Whether `key` of the built-in at `path` is one of SETTING_ACCESSORS. */
export function isSettingAccessor(path: string, key: string): boolean {
  return SETTING_ACCESSORS[path]?.includes(key) ?? false;
}

/** The primitive values (as `primitiveText`) of an owner's writable data properties and its SETTING_ACCESSORS. */
export function settablePrimitives(path: string, owner: object): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(owner))) {
    const setting = isSettingAccessor(path, key);
    if (!descriptor.writable && !setting) continue;
    const text = primitiveText(setting ? Reflect.get(owner, key) : descriptor.value);
    if (text !== undefined) values[key] = text;
  }
  return values;
}

/** The keys and settablePrimitives of each owner (builtinOwners), as a fresh process has them. */
export function pristineOf(owners: Array<[string, object]>): { keys: PristineKeys; values: PristineValues } {
  const keys: PristineKeys = {};
  const values: PristineValues = {};
  for (const [path, owner] of owners) {
    keys[path] = Reflect.ownKeys(owner).filter((k): k is string => typeof k === 'string');
    values[path] = settablePrimitives(path, owner);
  }
  return { keys, values };
}

/**
 * What tells a function of the runtime from the others in any process of the same Node binary: the
 * length of its text, then a 53-bit hash of its name and text (cyrb53). Two functions made from one
 * piece of text with the same name print alike: only a print one function has names it.
 */
export function functionPrint(fn: object, text: string = Function.prototype.toString.call(fn)): string {
  const named = `${String(Reflect.getOwnPropertyDescriptor(fn, 'name')?.value)}\n${text}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < named.length; i++) {
    const c = named.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `${text.length}:${(4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)}`;
}

/**
 * Visits the data properties of a built-in object (never getters: reading one can load modules
 * or run code) and its prototype, up to a fixed depth.
 */
export function forEachBuiltinChild(
  value: unknown,
  path: string,
  depth: number,
  visit: (child: unknown, path: string, key?: PropertyKey) => void,
  pristineKeys: PristineKeys = {},
): void {
  // The global object itself is never walked: what the program put there is the program's.
  if (depth >= MAX_DEPTH || typeof value === 'symbol' || value === globalThis) return;
  const object = value as object;
  const accept = (child: unknown, childPath: string, key?: PropertyKey) => {
    if (isRuntimeShaped(child, depth)) visit(child, childPath, key);
  };
  const known = Object.hasOwn(pristineKeys, path) ? new Set(pristineKeys[path]) : undefined;
  for (const key of Reflect.ownKeys(object)) {
    if (known && typeof key === 'string' && !known.has(key)) continue; // the program's addition
    if (key === '_events') continue; // an emitter's listeners (process's among them) are the program's
    const descriptor = Reflect.getOwnPropertyDescriptor(object, key)!;
    const isSymbol = typeof key === 'symbol';
    const name = isSymbol ? (key.description ?? '') : key;
    const prefix = isSymbol ? 's' : '';
    if ('value' in descriptor) {
      if (isWalkable(descriptor.value)) accept(descriptor.value, `${path}${SEP}${prefix || 'p'}:${name}`, key);
    } else {
      if (descriptor.get) accept(descriptor.get, `${path}${SEP}${prefix}get:${name}`, key);
      if (descriptor.set) accept(descriptor.set, `${path}${SEP}${prefix}set:${name}`, key);
      // An export behind a getter that stays one: named by what it returns, read as a `p:` step is.
      if (descriptor.get && !isSymbol && readableLazyExport(path, name))
        accept(Reflect.get(object, key), `${path}${SEP}p:${name}`);
      // A class's species getter may give a class of the runtime's own, named nowhere else
      // (Buffer[Symbol.species] is Node's FastBuffer, which undici keeps): read as an `s:` step is.
      if (descriptor.get && key === Symbol.species) accept(Reflect.get(object, key), `${path}${SEP}s:${name}`);
    }
    // A registered symbol is anyone's (Symbol.for gives it again): carried by its key, not named here.
    if (isSymbol && Symbol.keyFor(key) === undefined) visit(key, `${path}${SEP}key:${name}`);
  }
  const proto = Object.getPrototypeOf(object);
  if (proto !== null) accept(proto, `${path}${SEP}proto`);
}

/**
 * Only the runtime's code and shapes are well-known: functions, prototypes, symbols, and API
 * namespaces right under a root (util.types, path.posix). Plain data hanging off built-ins
 * (require.cache, process.env, process.mainModule) belongs to the program and is copied.
 */
function isRuntimeShaped(value: unknown, depth: number): boolean {
  if (typeof value === 'function' || typeof value === 'symbol') return true;
  if (typeof value !== 'object' || value === null) return false;
  if (isConstructorPrototype(value)) return true;
  if (depth > 0) return false;
  const values = Object.values(Object.getOwnPropertyDescriptors(value)).filter((d) => 'value' in d);
  return values.length > 0 && values.filter((d) => typeof d.value === 'function').length * 2 >= values.length;
}

/** Whether `value` is the `prototype` of its own `constructor` (a class's prototype object, not an instance of it). */
export function isConstructorPrototype(value: object): boolean {
  const ctor = Reflect.getOwnPropertyDescriptor(value, 'constructor')?.value;
  return typeof ctor === 'function' && Reflect.getOwnPropertyDescriptor(ctor, 'prototype')?.value === value;
}

/** Follows a path on this side; throws with the path in readable form when a step is missing. */
export function resolveBuiltinPath(path: string, getBuiltin: (name: string) => unknown): unknown {
  const [root, ...steps] = path.split(SEP);
  const colon = root.indexOf(':');
  const space = root.slice(0, colon);
  const name = root.slice(colon + 1);
  // Reading the global (not its descriptor) runs Node's lazy getters, which is what we want here.
  let value: ProgramValue =
    space === 'global'
      ? (globalThis as ProgramValue)[name]
      : space === 'module'
        ? getBuiltin(name)
        : space === 'ferry'
          ? Object.hasOwn(REPLICAS, name)
            ? REPLICAS[name]
            : undefined
          : space === 'probe'
            ? probed(getBuiltin, root).get(root)
            : builtinRoots(getBuiltin, [], []).find(([p]) => p === root)?.[1];
  for (const step of steps) {
    if (value === undefined || value === null) break;
    if (step === 'proto') {
      value = Object.getPrototypeOf(value);
      continue;
    }
    const colonAt = step.indexOf(':');
    const kind = step.slice(0, colonAt);
    const key: PropertyKey = SYMBOL_STEPS.includes(kind)
      ? (symbolByDescription(value, step.slice(colonAt + 1)) ?? '')
      : step.slice(colonAt + 1);
    if (kind === 'key') {
      value = typeof key === 'symbol' ? key : undefined;
      continue;
    }
    const descriptor = accessorsReadThrough.get(value)?.get(key) ?? Reflect.getOwnPropertyDescriptor(value, key);
    if (kind === 'get' || kind === 'sget') value = descriptor?.get;
    else if (kind === 'set' || kind === 'sset') value = descriptor?.set;
    // A lazy export (buffer.Blob) is a getter until first read: the target had read it, so read it here too.
    else value = descriptor && !('value' in descriptor) && descriptor.get ? readThrough(value, key) : descriptor?.value;
  }
  if (value === undefined)
    throw new Error(`built-in ${readablePath(path)} does not exist in this Node runtime (${process.version})`);
  return value;
}

/**
 * The accessors of lazy exports read here, which reading may have replaced by a data property (fs's
 * `Dir` turns into one): a program may hold them too (graceful-fs copies fs's), named `get:`/`set:`.
 */
const accessorsReadThrough = new WeakMap<object, Map<PropertyKey, PropertyDescriptor>>();

function readThrough(owner: ProgramValue, key: PropertyKey): unknown {
  const read = accessorsReadThrough.get(owner) ?? new Map<PropertyKey, PropertyDescriptor>();
  accessorsReadThrough.set(owner, read);
  if (!read.has(key)) read.set(key, Reflect.getOwnPropertyDescriptor(owner, key)!);
  return Reflect.get(owner, key);
}

/** The root a path starts from (`module:fs`, `global:process`). */
export function rootOf(path: string): string {
  const end = path.indexOf(SEP);
  return end < 0 ? path : path.slice(0, end);
}

/** The path of a built-in reached by data properties from a root (`module:util`, `global:AbortSignal`). */
export function builtinPath(root: string, ...properties: string[]): string {
  return [root, ...properties.map((name) => `p:${name}`)].join(SEP);
}

/** The path of a function of Ferry's own (REPLICAS). */
export function replicaPath(name: string): string {
  return `ferry:${name}`;
}

/**
 * Ferry's own functions, named `ferry:name`: factories of the platform objects the capture
 * describes by their public state, and copies of Node functions a program reaches but no path names.
 */
const REPLICAS: Record<string, ProgramFunction> = {
  // Platform objects made again from what their public API read back (capture/agent/node-factories.ts).
  newURL: (href: string) => new URL(href),
  newURLSearchParams: (text: string) => new URLSearchParams(text),
  searchParamsOf: (url: URL) => url.searchParams,
  newTextEncoder: () => new TextEncoder(),
  newTextDecoder: (encoding: string, fatal: boolean, ignoreBOM: boolean) =>
    new TextDecoder(encoding, { fatal, ignoreBOM }),
  // Aborted first: listeners still held by a fired signal must not fire again.
  newAbortController: (aborted: boolean, reason: unknown, ...listeners: unknown[]) => {
    const controller = new AbortController();
    if (aborted) controller.abort(reason);
    addListeners(controller.signal, listeners);
    return controller;
  },
  signalOf: (controller: AbortController) => controller.signal,
  signalOfDroppedController: (...listeners: unknown[]) =>
    REPLICAS.newAbortController(false, undefined, ...listeners).signal,
  // Objects with internal slots (node-factories.ts); options travel as JSON since factory arguments are not filled yet.
  newIntl: (kind: string, options: string) => {
    const parsed = JSON.parse(options);
    return new (Intl as ProgramValue)[kind](parsed.locale, parsed);
  },
  newWeakRef: (target: object) => new WeakRef(target),
  newCollectedWeakRef: () => new WeakRef(targetToCollect()),
  // Registrations come flat (target, held value, token): a null target was collected, its cleanup still to come.
  newFinalizationRegistry: (cleanup: (held: unknown) => void, ...registrations: unknown[]) => {
    const registry = new FinalizationRegistry(cleanup);
    for (let i = 0; i < registrations.length; i += 3) {
      const [target, held, token] = registrations.slice(i, i + 3) as [object | null, unknown, object | undefined];
      registry.register(target ?? targetToCollect(), held, token);
    }
    return registry;
  },
  newDOMException: (message: string, name: string, stack: string) => {
    const error = new DOMException(message, name);
    Object.defineProperty(error, 'stack', { value: stack, writable: true, configurable: true, enumerable: false });
    return error;
  },
  // Made by Node per stream (node-streams.ts): a stream's bound write callback, a pipe's listeners, a string decoder part-way through a character.
  onwriteOf: (stream: ProgramValue) => stream._writableState.onwrite,
  pipeListener,
  newStringDecoder: (encoding: string, state: string) => {
    const { StringDecoder } = (process as ProgramValue).getBuiltinModule('string_decoder');
    const decoder = new StringDecoder(encoding);
    const bytes: Uint8Array = decoder[symbolByDescription(decoder, 'kNativeDecoder')!];
    for (let i = 0; i < bytes.length; i++) bytes[i] = state.charCodeAt(i);
    return decoder;
  },
  // A fetch() Response whose body was read (capture/agent/node-factories.ts): an empty one, read again.
  newResponse: (facts: string) => {
    const f = JSON.parse(facts);
    // An empty byte body: a string one would add a content-type the original may not have had.
    const response = new Response(f.bodyUsed ? new Uint8Array(0) : null, f);
    for (const key of ['url', 'redirected', 'type'] as const)
      if (response[key] !== f[key]) Object.defineProperty(response, key, { value: f[key], configurable: true });
    if (f.bodyUsed) response.arrayBuffer().catch(() => undefined);
    return response;
  },
  // A stack frame an Error.prepareStackTrace kept (call-sites.ts).
  newCallSite: restoredCallSite,
  // The home object's prototype of a restored object-literal method using `super` (super-home.ts).
  superOf,
  // An events.on() iterator and its listeners, made by the restore (restore/event-iterators.ts).
  eventIterator: (made: { iterator: object }) => made.iterator,
  eventIteratorListener: (made: { listeners: Record<string, ProgramFunction | undefined> }, role: string) => {
    const listener = made.listeners[role];
    if (!listener) throw new Error(`checkpoint corrupted: an events.on() iterator has no ${role} listener`);
    return listener;
  },
  // The listeners of a readline Interface on its input and on itself (readline.ts).
  readlineListener: (self: object, input: object, name: ReadlineListenerName) =>
    readlineListener(self, input, name, readlineSymbol),
  // A listener http.Agent's constructor puts on an agent (capture/agent/node-factories.ts): that
  // constructor run on the restored agent, not filled in yet, then its own properties put back.
  httpAgentListener: (agent: ProgramValue, event: string) => {
    const { Agent } = (process as ProgramValue).getBuiltinModule('http');
    const saved = Object.getOwnPropertyDescriptors(agent);
    const proto = Object.getPrototypeOf(agent);
    Object.setPrototypeOf(agent, Agent.prototype);
    try {
      Agent.call(agent, {});
      return agent._events[event];
    } finally {
      for (const key of Reflect.ownKeys(agent)) delete agent[key];
      Object.defineProperties(agent, saved);
      Object.setPrototypeOf(agent, proto);
    }
  },
  // `emitter.once`'s wrapper made again as Node 20's _onceWrap makes it, on any version (Node 24's is a closure).
  onceWrap: (target: ProgramValue, type: string | symbol, listener: ProgramFunction, fired: boolean) => {
    const state = { fired, wrapFn: undefined as unknown as ProgramFunction, target, type, listener };
    const wrapped = (REPLICAS.onceWrapper as ProgramFunction).bind(state);
    wrapped.listener = listener;
    state.wrapFn = wrapped;
    return wrapped;
  },
  // events.js's onceWrapper, bound by `emitter.once` to {fired, wrapFn, target, type, listener}.
  onceWrapper: function onceWrapper(
    this: {
      fired: boolean;
      wrapFn: ProgramFunction;
      target: ProgramValue;
      type: string | symbol;
      listener: ProgramFunction;
    },
    ...args: unknown[]
  ) {
    if (this.fired) return undefined;
    this.target.removeListener(this.type, this.wrapFn);
    this.fired = true;
    return this.listener.apply(this.target, args);
  },
};

/** Listeners read by capture/agent/event-targets.ts, flat (type, listener, ListenerFlag bits), added in that order. */
function addListeners(target: EventTarget, flat: unknown[]): void {
  for (let i = 0; i < flat.length; i += 3) {
    const [type, listener, flags] = flat.slice(i, i + 3) as [string, (event: Event) => void, number];
    if (flags & ListenerFlag.HandlerAttribute) (target as ProgramValue)[`on${type}`] = listener;
    else
      target.addEventListener(type, listener, {
        once: Boolean(flags & ListenerFlag.Once),
        capture: Boolean(flags & ListenerFlag.Capture),
        passive: Boolean(flags & ListenerFlag.Passive),
      });
  }
}

let streamProbeTable: Map<string, unknown> | undefined;
let readlineProbeTable: Map<string, unknown> | undefined;

/** The values of `probe:` paths in this process (node-streams.ts, readline.ts), each module's found once. */
function probed(getBuiltin: (name: string) => ProgramValue, root: string): Map<string, unknown> {
  if (root.startsWith(READLINE_PROBE))
    return (readlineProbeTable ??= new Map(readlineProbes(getBuiltin('readline'), getBuiltin('events'))));
  if (streamProbeTable) return streamProbeTable;
  const stream = getBuiltin('stream');
  streamProbeTable = new Map(streamProbes(stream));
  streamProbeTable.set(AFTER_WRITE_PATH, queuedAfterWrite(stream));
  return streamProbeTable;
}

const READLINE_PROBE = 'probe:Interface.';

/** A symbol private to readline: an Interface's own (a probe's) or its prototypes' (their methods' keys). */
function readlineSymbol(description: string): symbol | undefined {
  const getBuiltin = (process as ProgramValue).getBuiltinModule;
  const own = probed(getBuiltin, READLINE_PROBE).get(`${READLINE_PROBE}${description}`) as symbol | undefined;
  if (own) return own;
  for (let p = getBuiltin('readline').Interface.prototype; p; p = Object.getPrototypeOf(p)) {
    const key = symbolByDescription(p, description);
    if (key) return key;
  }
  return undefined;
}

/** An own symbol key of `object` with this description (Node's private symbols are found so). */
export function symbolByDescription(object: object, description: string): symbol | undefined {
  return Object.getOwnPropertySymbols(object).find((s) => (s.description ?? '') === description);
}

export function readablePath(path: string): string {
  return path
    .split(SEP)
    .map((step) => step.replace(/^(p|s):/, '').replace(/^(get|set|sget|sset|key):(.*)$/, '$2 ($1)'))
    .join('.');
}
