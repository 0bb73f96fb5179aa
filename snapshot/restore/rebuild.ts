// Rebuilds the captured heap in this process: built-ins resolved, functions re-created in their
// contexts, every other object allocated, then filled (prototypes, properties, entries), then
// sealed/frozen as it was. Handles (timers, servers) become live again in `activate`.
import { A, Integrity, IteratorFlag, K } from '../heap/tags';
import { resolveBuiltinPath } from '../heap/builtins';
import { HOLE, Ref, type HeapRecord, type Property } from './decode';
import { createFunctions, type VariantPlacement, type VariantWrapper } from './functions';
import { type FunctionSite, type SourceEntry } from '../format/sections';
import { PrivateStamp, linkClass, stampedClasses } from './privates';
import { isMethodMadeOnItsOwn, isClassSource } from './function-source';
import { planLiveBindings, type BindingRef } from './live-bindings';
import { combinatorElement } from './combinators';

type Rec<T extends K> = Extract<HeapRecord, { kind: T }>;

export interface RebuiltHeap {
  objects: unknown[];
  root: any;
  /** Checkpoint Here: one per resumed frame, in the order of the placements given. */
  variantWrappers: VariantWrapper[];
  /** How each restored pending promise is settled. */
  pending: Map<Promise<unknown>, PromiseSettlers>;
  /** Suspended generators by frame index: made, but their bindings not yet assigned nor primed. */
  generators: Map<number, { made: ReturnType<VariantWrapper>; generator: Generator; ferry: Record<string, unknown> }>;
  /**
   * Makes the handles live: servers listening first, then timers armed and immediates queued.
   * Call last. Throws ServerListenError, before any timer is armed, when a server cannot listen.
   */
  activate(): void;
  /**
   * Checkpoint Here inside a timer's or an immediate's callback: what Node's timer code does once
   * that callback returns (an interval is armed again, a timeout or an immediate let go).
   */
  runningCallbackReturned(): void;
}

export function rebuildHeap(
  records: HeapRecord[],
  rootId: number,
  sites: FunctionSite[],
  sources: SourceEntry[],
  getBuiltin: (name: string) => any,
  variants: VariantPlacement[] = [],
  generatorFrames = new Map<number, number>(),
): RebuiltHeap {
  const objects = new Array<unknown>(records.length);
  const made = new Array<boolean>(records.length).fill(false);
  const resolve = (slot: unknown): unknown => (slot instanceof Ref ? objects[slot.id] : slot);
  const refId = (slot: unknown): number | undefined => (slot instanceof Ref ? slot.id : undefined);
  const put = (id: number, value: unknown) => {
    objects[id] = value;
    made[id] = true;
  };

  const pending = new Map<Promise<unknown>, PromiseSettlers>();
  // 1. Built-ins and symbols: they exist on their own.
  records.forEach((record, id) => {
    if (record.kind === K.Builtin) put(id, resolveBuiltinPath(record.path, getBuiltin));
    else if (record.kind === K.Symbol)
      put(id, record.form === 1 ? Symbol.for(record.text) : record.form === 2 ? Symbol() : Symbol(record.text));
  });

  // 2. Functions, inside their contexts. Class members come from their class, so they are skipped
  //    here and bound to the class's own methods afterwards.
  const classMembers = findClassMembers(records, sites);
  const stamp = new PrivateStamp();
  const { classOf, stamped } = stampedClasses(records, sites);
  const live = planLiveBindings(records, sites, sources);
  const created = createFunctions(records, sites, sources, objects, {
    skip: new Set(classMembers.keys()),
    heritage: () => class {},
    variants,
    stamped,
    stamp,
    live,
  });
  records.forEach((record, id) => {
    if (record.kind === K.Function && !classMembers.has(id)) made[id] = true;
  });
  for (const [memberId, { classId, home, key, field }] of classMembers) {
    const cls = objects[classId] as any;
    const holder = home === 'static' ? cls : cls.prototype;
    const descriptor = Object.getOwnPropertyDescriptor(holder, resolve(key) as string | symbol);
    put(memberId, descriptor?.[field]);
  }
  // A class's prototype object is the one its definition made (its `prototype` cannot be replaced).
  records.forEach((record, id) => {
    if (record.kind !== K.Function || !isClassSource(sites[record.site]?.source)) return;
    const protoId = refId(record.props.find((p) => p.key === 'prototype')?.value);
    if (protoId !== undefined && !made[protoId]) put(protoId, (objects[id] as any).prototype);
  });

  // Classes that make instances (private members) need their real parents before they can.
  for (const id of stamped) linkClass(id, records, objects, made, resolve);

  // 3. Every other object, empty for now (identity first, contents later, so cycles just work).
  const deferred: Array<() => void> = [];
  const timers: number[] = [];
  const servers: number[] = [];
  records.forEach((record, id) => {
    if (made[id]) return;
    switch (record.kind) {
      case K.Object:
        put(id, record.privates ? stamp.make(objects[classOf.get(id)!] as Function) : {});
        break;
      case K.Array:
        put(id, new Array(record.length));
        break;
      case K.Date:
        put(id, new Date(record.time));
        break;
      case K.RegExp:
        put(id, new RegExp(record.source, record.flags));
        break;
      case K.Error:
        put(id, new Error());
        break;
      case K.Map:
        put(id, new Map());
        break;
      case K.Set:
        put(id, new Set());
        break;
      case K.WeakMap:
        put(id, new WeakMap());
        break;
      case K.WeakSet:
        put(id, new WeakSet());
        break;
      case K.ArrayBuffer:
        put(id, new Uint8Array(record.bytes).buffer);
        break; // a copy: `bytes` is a view into the file
      case K.SharedArrayBuffer: {
        const shared = new SharedArrayBuffer(record.bytes.length);
        new Uint8Array(shared).set(record.bytes);
        put(id, shared);
        break;
      }
      case K.Promise: {
        if (record.state === 0) {
          const settlers = {} as PromiseSettlers;
          const promise = new Promise((res, rej) => Object.assign(settlers, { resolve: res, reject: rej }));
          pending.set(promise, settlers);
          put(id, promise);
          break;
        }
        const result = () => resolve(record.result);
        // Settled later, once its result exists; a rejected one is marked handled like the original.
        let settle!: () => void;
        const promise = new Promise(
          (res, rej) => (settle = () => (record.state === 1 ? res(result()) : rej(result()))),
        );
        if (record.state === 2) promise.catch(() => undefined);
        put(id, promise);
        deferred.push(settle);
        break;
      }
      case K.Timer:
        timers.push(id);
        put(id, makeTimer(getBuiltin('timers')));
        break;
      case K.Immediate:
        put(id, makeImmediate(getBuiltin('timers'), record));
        break;
      case K.Server:
        servers.push(id);
        break;
      case K.FileWriteStream:
        put(id, makeWriteStream(record, resolve, getBuiltin));
        break;
      // Made by its Node class (its bound write callback, pipe()s made again below), then filled as an object.
      case K.CoreStream:
        put(id, Reflect.construct(mustBeFunction(resolve(record.streamClass), `stream ${id}'s class`), []));
        break;
      case K.Module:
        put(id, Object.create(getBuiltin('module').prototype));
        break;
      case K.Context:
        made[id] = true;
        break; // lives inside the generated factories, not as an object
      default:
        break; // typed arrays, views, boxed values, proxies, bound functions, requires: below
    }
  });
  // Generators: a finished one is a generator run to its end; a suspended or running one is its
  // frame's variant, created now (its body runs only when primed or called) so that it has its
  // identity from the start.
  const generators = new Map<
    number,
    { made: ReturnType<VariantWrapper>; generator: Generator; ferry: Record<string, unknown> }
  >();
  records.forEach((record, id) => {
    if (record.kind !== K.Generator) return;
    if (record.state === 0) {
      const finished = record.async ? (async function* () {})() : (function* () {})();
      void finished.next();
      return put(id, finished);
    }
    const frame = generatorFrames.get(id);
    if (frame === undefined) throw new Error(`checkpoint corrupted: generator ${id} has no frame`);
    const made = created.variantWrappers[frame]();
    const ferry: Record<string, unknown> = {};
    const generator = made.variant.call(resolve(record.receiver), ferry) as Generator;
    generators.set(frame, { made, generator, ferry });
    put(id, generator);
  });
  // Objects built from other objects, in an order that has their parts ready.
  const revokes = new Map<number, () => void>();
  const build = (id: number): unknown => {
    if (made[id]) return objects[id];
    const record = records[id];
    made[id] = true; // a cycle through these kinds cannot exist: their parts are never themselves
    const part = (slot: unknown) => (slot instanceof Ref ? build(slot.id) : slot);
    switch (record.kind) {
      case K.TypedArray: {
        const buffer = part(record.buffer) as ArrayBuffer;
        objects[id] =
          record.type === 'Buffer'
            ? Buffer.from(buffer, record.byteOffset, record.length)
            : new (globalThis as any)[record.type](buffer, record.byteOffset, record.length);
        break;
      }
      case K.DataView:
        objects[id] = new DataView(part(record.buffer) as ArrayBuffer, record.byteOffset, record.byteLength);
        break;
      case K.Boxed:
        objects[id] = Object(part(record.value));
        break;
      case K.Proxy: {
        // Every proxy is made revocable: the revoke function of one is made with it, below.
        const made = record.revoked
          ? revokedProxy(record.callable)
          : Proxy.revocable(part(record.target) as object, part(record.handler) as ProxyHandler<object>);
        objects[id] = made.proxy;
        revokes.set(id, made.revoke);
        break;
      }
      case K.CollectionIterator: {
        const iterator = collectionIterator(
          record.flags,
          part(record.collection) as Map<unknown, unknown> | Set<unknown> | null,
        );
        objects[id] = iterator;
        // Its steps are taken again once its collection is filled in (below).
        deferred.push(() => {
          for (let i = 0; i < record.steps; i++) iterator.next();
        });
        break;
      }
      case K.ProxyRevoke:
        // One that has revoked its proxy does nothing any more: so does a spent one.
        objects[id] =
          record.proxy instanceof Ref
            ? (build(record.proxy.id), revokes.get(record.proxy.id))
            : revokedProxy(false).revoke;
        break;
      case K.BoundFunction:
        objects[id] = Function.prototype.bind.apply(
          mustBeFunction(part(record.target), `bound function ${id}'s target`),
          [part(record.boundThis), ...record.args.map(part)],
        );
        break;
      case K.PromiseResolver: {
        const settlers = pending.get(part(record.promise) as Promise<unknown>);
        const promise = record.promise instanceof Ref ? records[record.promise.id] : undefined;
        // The resolving functions of a settled promise do nothing any more.
        if (!settlers && promise?.kind === K.Promise && promise.state !== 0) objects[id] = () => undefined;
        else if (!settlers) throw new Error(`checkpoint corrupted: resolver ${id} of an object that is not a promise`);
        else objects[id] = record.reject ? settlers.reject : settlers.resolve;
        break;
      }
      case K.PromiseCombinatorElement:
        objects[id] = combinatorElement(
          record.combinator,
          record.index,
          part(record.group) as Parameters<typeof combinatorElement>[2],
        );
        break;
      case K.Require: {
        // The module's filename from its record: the module object itself is not filled in yet.
        const owner = record.module instanceof Ref ? records[record.module.id] : undefined;
        const filename = owner?.kind === K.Module ? resolve(owner.filename) : undefined;
        objects[id] = getBuiltin('module').createRequire(typeof filename === 'string' ? filename : `${process.cwd()}/`);
        break;
      }
      case K.Server:
        objects[id] = makeServer(record, part, getBuiltin);
        break;
      case K.NodeFactory:
        objects[id] = (resolveBuiltinPath(record.path, getBuiltin) as Function)(...record.args.map(part));
        break;
      default:
        throw new Error(`checkpoint corrupted: object ${id} has no way to be built`);
    }
    return objects[id];
  };
  records.forEach((_, id) => build(id));

  // 4. Contents.
  created.assignContexts(resolve);
  const integrity: Array<[object, number]> = [];
  records.forEach((record, id) => {
    const object = objects[id] as any;
    switch (record.kind) {
      case K.Builtin:
      case K.NodeFactory:
      case K.Symbol:
      case K.Context:
      case K.Proxy:
      case K.ProxyRevoke:
      case K.Require:
      case K.PromiseResolver:
      case K.PromiseCombinatorElement:
      case K.Timer:
      case K.Immediate:
      case K.Server:
        return;
      case K.Array:
        if (record.elements) {
          const elements = record.elements;
          for (let i = 0; i < elements.length; i++) if (elements[i] !== HOLE) object[i] = resolve(elements[i]);
        }
        break;
      case K.Map:
        for (let i = 0; i < record.entries.length; i += 2)
          object.set(resolve(record.entries[i]), resolve(record.entries[i + 1]));
        break;
      case K.Set:
        for (const entry of record.entries) object.add(resolve(entry));
        break;
      case K.WeakMap:
        for (let i = 0; i < record.entries.length; i += 2)
          object.set(resolve(record.entries[i]), resolve(record.entries[i + 1]));
        break;
      case K.WeakSet:
        for (const entry of record.entries) object.add(resolve(entry));
        break;
      case K.Module:
        defineProperties(object, record.props, resolve);
        return;
      case K.FileWriteStream:
        for (let i = 0; i < record.listeners.length; i += 2)
          object.on(resolve(record.listeners[i]), resolve(record.listeners[i + 1]));
        return;
    }
    if ('proto' in record) {
      const proto = resolve(record.proto);
      if (Object.getPrototypeOf(object) !== proto) Object.setPrototypeOf(object, proto as object | null);
    }
    if ('props' in record) defineProperties(object, record.props, resolve, live.namespaces.get(id), created.readLive);
    if ('privates' in record && record.privates) {
      const fields = new Map(record.privates.map((p) => [p.name, resolve(p.value)]));
      if (record.kind === K.Function) stamp.fillStatics(object, fields);
      else stamp.fill(object, fields);
    }
    if ('integrity' in record && record.integrity !== Integrity.Extensible) integrity.push([object, record.integrity]);
  });
  for (const settle of deferred) settle();
  // Pending promises get their reactions again, in the order they were registered.
  records.forEach((record, id) => {
    if (record.kind === K.Promise && record.state === 0)
      for (const reaction of record.reactions) react(objects[id] as Promise<unknown>, reaction, resolve, pending);
  });
  for (const [object, level] of integrity) {
    if (level === Integrity.Frozen) Object.freeze(object);
    else if (level === Integrity.Sealed) Object.seal(object);
    else Object.preventExtensions(object);
  }

  return {
    objects,
    root: objects[rootId],
    variantWrappers: created.variantWrappers,
    pending,
    generators,
    activate() {
      // Servers first: a port that cannot be taken here fails the restore before the program runs.
      for (const id of servers) listen(objects[id] as any, records[id] as Rec<K.Server>, resolve, getBuiltin('net'));
      // In the order they were due (the roots list them so): timers due at the same instant fire in it.
      const firing = new Map(((objects[rootId] as any)?.timers ?? []).map((timer: unknown, i: number) => [timer, i]));
      const rank = (id: number) => (firing.get(objects[id]) as number | undefined) ?? Infinity;
      for (const id of [...timers].sort((a, b) => rank(a) - rank(b))) {
        const record = records[id] as Rec<K.Timer>;
        if (record.running) runningTimer(objects[id] as TimeoutFields, record, resolve);
        else armTimer(objects[id] as any, record, resolve, getBuiltin('timers'));
      }
      records.forEach((record, id) => {
        if (record.kind !== K.Immediate) return;
        if (record.running) runningImmediate(objects[id] as ImmediateFields, record, resolve);
        else armImmediate(objects[id] as any, record, resolve);
      });
    },
    runningCallbackReturned() {
      records.forEach((record, id) => {
        if (record.kind === K.Timer && record.running)
          timerReturned(objects[id] as TimeoutFields, record, getBuiltin('timers'));
        if (record.kind === K.Immediate && record.running) (objects[id] as ImmediateFields)._onImmediate = null;
      });
    },
  };
}

/** `liveNames`: a module namespace's properties for bindings their module reassigns, read live. */
function defineProperties(
  object: any,
  props: Property[],
  resolve: (slot: unknown) => unknown,
  liveNames?: Map<string, BindingRef>,
  readLive?: (binding: BindingRef) => unknown,
): void {
  for (const p of props) {
    const key = p.key instanceof Ref ? (resolve(p.key) as symbol) : p.key;
    const descriptor: PropertyDescriptor = {
      enumerable: !!(p.flags & A.Enumerable),
      configurable: !!(p.flags & A.Configurable),
    };
    const binding = typeof key === 'string' ? liveNames?.get(key) : undefined;
    if (binding) descriptor.get = () => readLive!(binding);
    else if (p.flags & A.Accessor) {
      descriptor.get = resolve(p.get) as () => unknown;
      descriptor.set = resolve(p.set) as (v: unknown) => void;
    } else {
      descriptor.value = resolve(p.value);
      descriptor.writable = !!(p.flags & A.Writable);
    }
    const existing = Reflect.getOwnPropertyDescriptor(object, key);
    if (existing && !existing.configurable) {
      // Fixed by the runtime (a class's prototype, an array's length): only the value may differ.
      if (existing.writable && 'value' in descriptor) object[key] = descriptor.value;
      continue;
    }
    Reflect.defineProperty(object, key, descriptor);
  }
}

interface ClassMember {
  classId: number;
  home: 'prototype' | 'static';
  key: string | symbol | Ref;
  field: 'value' | 'get' | 'set';
}

/** Methods and accessors that a class definition creates, found on its prototype and on itself. */
function findClassMembers(records: HeapRecord[], sites: FunctionSite[]): Map<number, ClassMember> {
  const members = new Map<number, ClassMember>();
  records.forEach((record, classId) => {
    if (record.kind !== K.Function) return;
    const classSite = sites[record.site];
    if (!isClassSource(classSite?.source)) return;
    const scan = (props: Property[], home: 'prototype' | 'static') => {
      for (const p of props) {
        // Well-known symbol keys (`*[Symbol.iterator]()`) evaluate the same again; other symbol-keyed
        // members are re-created standalone (their key's variable has no value yet when the class is made).
        if (p.key instanceof Ref && records[p.key.id]?.kind !== K.Builtin) continue;
        for (const field of ['value', 'get', 'set'] as const) {
          const slot = p[field];
          if (!(slot instanceof Ref)) continue;
          const member = records[slot.id];
          if (member.kind !== K.Function || slot.id === classId) continue;
          const site = sites[member.site];
          // Some members whose key was an expression are left out of the restored class (function-source.ts).
          if (
            site &&
            site.scriptId === classSite.scriptId &&
            classSite.source.includes(site.source) &&
            !isClassSource(site.source) &&
            !isMethodMadeOnItsOwn(site.source)
          ) {
            members.set(slot.id, { classId, home, key: p.key, field });
          }
        }
      }
    };
    scan(record.props, 'static');
    const protoId = record.props.find((p) => p.key === 'prototype')?.value;
    if (protoId instanceof Ref) {
      const proto = records[protoId.id];
      if ('props' in proto) scan(proto.props, 'prototype');
    }
  });
  return members;
}

const noop = () => undefined;

/** A value the checkpoint names as a function: a built-in one is known to be only once it is resolved. */
function mustBeFunction(value: unknown, what: string): Function {
  if (typeof value !== 'function')
    throw new Error(`checkpoint corrupted: ${what} is ${value === null ? 'null' : typeof value}, not a function`);
  return value;
}

/**
 * A real Timeout, created now (so identities hold): parked far in the future and unref'd, so it
 * neither fires nor keeps the process alive until `armTimer` gives it its callback and due time.
 */
function makeTimer(timers: any): object {
  return timers.setTimeout(noop, PARKED_MS).unref();
}

/** The longest timeout Node takes: a timer made with it is parked, far from ever firing. */
const PARKED_MS = 0x7fffffff;

function armTimer(timer: any, record: Rec<K.Timer>, resolve: (slot: unknown) => unknown, timers: any): void {
  if (record.cleared) timers.clearTimeout(timer);
  const callback = resolve(record.callback);
  // A cleared timer the program still holds has let go of its callback.
  timer._onTimeout = record.cleared && callback == null ? callback : mustBeFunction(callback, "a timer's callback");
  timer._timerArgs = record.args.length ? record.args.map(resolve) : undefined;
  timer._idleTimeout = Math.max(1, record.remaining);
  timer._repeat = record.repeat > 0 ? record.repeat : null;
  if (!record.cleared) timer.refresh(); // moves it to the list that fires after `remaining`
  // Its own duration again, for refresh(): the list it sits in still fires it at `remaining`.
  timer._idleTimeout = record.duration;
  if (record.refed) timer.ref();
}

/** The fields of Node's Timeout the restore of a running one sets and reads (lib/internal/timers.js). */
interface TimeoutFields {
  _onTimeout: unknown;
  _timerArgs: unknown[] | undefined;
  _idleTimeout: number;
  _repeat: number | null;
  _idleNext: ListLink | null;
  ref(): void;
  refresh(): void;
}

/** A link of the ring a timer list keeps: its timers, and the list itself (the one with `msecs`). */
interface ListLink {
  _idleNext?: ListLink | null;
  msecs?: number;
}

interface ImmediateFields {
  _onImmediate: unknown;
  _argv: unknown[] | undefined;
}

/** A timer whose callback is on the paused stack: still parked (off the lists that fire), given its callback. */
function runningTimer(timer: TimeoutFields, record: Rec<K.Timer>, resolve: (slot: unknown) => unknown): void {
  timer._onTimeout = mustBeFunction(resolve(record.callback), "a timer's callback");
  timer._timerArgs = record.args.length ? record.args.map(resolve) : undefined;
  timer._idleTimeout = record.duration;
  timer._repeat = record.repeat > 0 ? record.repeat : null;
  if (record.refed) timer.ref();
}

/**
 * What listOnTimeout does once the callback returns: an interval not cleared is armed again from
 * the loop time before its callback; a timeout its callback did not arm again (refresh) is let go.
 */
function timerReturned(timer: TimeoutFields, record: Rec<K.Timer>, timers: { clearTimeout(t: unknown): void }): void {
  if (timer._repeat && timer._idleTimeout !== -1) {
    timer._idleTimeout = Math.max(1, record.remaining);
    timer.refresh();
    timer._idleTimeout = timer._repeat;
  } else if (listOf(timer)?.msecs === PARKED_MS) timers.clearTimeout(timer);
}

/** The list a timer is linked into (Node's TimersList, the one object of the ring with `msecs`). */
function listOf(timer: TimeoutFields): ListLink | undefined {
  for (let at = timer._idleNext; at && at !== timer; at = at._idleNext ?? null) if ('msecs' in at) return at;
  return undefined;
}

/** An immediate whose callback is on the paused stack: out of the queue (as Node leaves it), with its callback until it returns. */
function runningImmediate(
  immediate: ImmediateFields,
  record: Rec<K.Immediate>,
  resolve: (slot: unknown) => unknown,
): void {
  immediate._onImmediate = mustBeFunction(resolve(record.callback), "an immediate's callback");
  immediate._argv = record.args.length ? record.args.map(resolve) : undefined;
}

function makeImmediate(timers: any, record: Rec<K.Immediate>): object {
  const immediate = timers.setImmediate(noop);
  timers.clearImmediate(immediate);
  if (!record.refed) immediate.unref();
  return immediate;
}

function armImmediate(immediate: any, record: Rec<K.Immediate>, resolve: (slot: unknown) => unknown): void {
  const callback = mustBeFunction(resolve(record.callback), "an immediate's callback");
  const args = record.args.map(resolve);
  // A cleared Immediate cannot be queued again: queue a fresh one that runs the original callback.
  const fresh = setImmediate(() => callback.apply(immediate, args));
  if (!record.refed) fresh.unref();
}

function makeServer(
  record: Rec<K.Server>,
  part: (slot: unknown) => unknown,
  getBuiltin: (name: string) => any,
): object {
  const proto = part(record.proto) as object;
  const net = getBuiltin('net');
  let base: any = proto;
  while (
    base &&
    !(Object.prototype.hasOwnProperty.call(base, 'constructor') && isRuntimeConstructor(base.constructor, getBuiltin))
  )
    base = Object.getPrototypeOf(base);
  const ctor = base?.constructor ?? net.Server;
  return Reflect.construct(ctor, [], (proto as any).constructor ?? ctor);
}

function isRuntimeConstructor(ctor: unknown, getBuiltin: (name: string) => any): boolean {
  return ['net', 'http', 'https', 'tls', 'http2'].some((name) => {
    try {
      return Object.values(getBuiltin(name)).includes(ctor);
    } catch {
      return false;
    }
  });
}

/** A restored server could not listen again; `whenKnown` hands over Node's error, a tick later. */
export class ServerListenError extends Error {
  constructor(
    readonly where: string,
    readonly whenKnown: (report: (error: Error) => void) => void,
  ) {
    super(`cannot listen on ${where} again`);
  }
}

/**
 * Listens again where it listened, binding at once: a server not listening right after has failed,
 * and Node emits the reason at the next tick. (listen(port, host) would look the address up first,
 * a tick later; `_listen2` is the step Node takes after the lookup, kept under that name for code
 * that wraps it.) The program's listeners are added once it listens, so they see no second
 * 'listening' and no error of ours.
 */
function listen(server: any, record: Rec<K.Server>, resolve: (slot: unknown) => unknown, net: any): void {
  for (let i = 0; i < record.settings.length; i += 2)
    server[resolve(record.settings[i]) as string] = resolve(record.settings[i + 1]);
  const port = resolve(record.port);
  const address = resolve(record.address);
  let failure: Error | undefined;
  let report: ((error: Error) => void) | undefined;
  const onError = (error: Error) => {
    failure = error;
    report?.(error);
  };
  server.once('error', onError);
  if (typeof port === 'number') server._listen2(address, port, net.isIP(address), undefined, undefined, 0);
  else if (typeof address === 'string') server.listen(address);
  if (!server.listening) {
    const where = typeof port === 'number' ? `${address}:${port}` : String(address);
    throw new ServerListenError(where, (then) => (failure ? then(failure) : (report = then)));
  }
  server.off('error', onError);
  const listeners: Array<[string | symbol, (...args: unknown[]) => void]> = [];
  for (let i = 0; i < record.listeners.length; i += 2)
    listeners.push([resolve(record.listeners[i]) as string, resolve(record.listeners[i + 1]) as () => void]);
  for (const [event, fn] of listeners) if (event !== 'listening') server.on(event, fn);
  // Added after Node's 'listening' (emitted at the next tick): the program heard it already.
  server.once('listening', () => {
    for (const [event, fn] of listeners) if (event === 'listening') server.on(event, fn);
  });
}

export interface PromiseSettlers {
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

/**
 * What `promise.then(onFulfilled, onRejected)` registered: when the restored promise settles, the
 * handler runs and settles the promise `then` returned (itself restored as pending), as V8 would.
 */
function react(
  promise: Promise<unknown>,
  reaction: Rec<K.Promise>['reactions'][number],
  resolve: (slot: unknown) => unknown,
  pending: Map<Promise<unknown>, PromiseSettlers>,
): void {
  const derived = pending.get(resolve(reaction.derived) as Promise<unknown>);
  const run = (handler: unknown, value: unknown, fulfilled: boolean) => {
    if (typeof handler !== 'function') return fulfilled ? derived?.resolve(value) : derived?.reject(value);
    try {
      derived?.resolve(handler(value));
    } catch (error) {
      if (!derived) throw error;
      derived.reject(error);
    }
  };
  promise.then(
    (value) => run(resolve(reaction.onFulfilled), value, true),
    (reason) => run(resolve(reaction.onRejected), reason, false),
  );
}

/** An fs write stream, made again on its descriptor (already reopened at its offset), where it was. */
function makeWriteStream(
  record: Rec<K.FileWriteStream>,
  resolve: (slot: unknown) => unknown,
  getBuiltin: (name: string) => any,
): object {
  const pos = resolve(record.pos);
  const stream = getBuiltin('fs').createWriteStream(resolve(record.path), {
    fd: record.fd,
    flags: resolve(record.flags),
    mode: resolve(record.mode),
    autoClose: record.autoClose,
    ...(typeof pos === 'number' ? { start: pos } : {}),
  });
  stream.bytesWritten = record.bytesWritten;
  return stream;
}

/** A proxy revoked before the checkpoint (its target and handler are gone), and its spent revoke function. */
function revokedProxy(callable: boolean): { proxy: object; revoke: () => void } {
  const made = Proxy.revocable(callable ? function revoked() {} : {}, {});
  made.revoke();
  return made;
}

/** An iterator made by entries(), keys() or values() of `collection`; a finished one when there is none. */
function collectionIterator(flags: number, collection: Map<unknown, unknown> | Set<unknown> | null): Iterator<unknown> {
  const method = flags & IteratorFlag.Keys ? 'keys' : flags & IteratorFlag.Values ? 'values' : 'entries';
  const over = collection ?? (flags & IteratorFlag.OfSet ? new Set() : new Map());
  const iterator = (flags & IteratorFlag.OfSet ? Set : Map).prototype[method].call(over as never) as Iterator<unknown>;
  if (flags & IteratorFlag.Done) iterator.next();
  return iterator;
}
