// Rebuilds the captured heap in this process: built-ins resolved, functions re-created in their
// contexts, every other object allocated, then filled (prototypes, properties, entries), then
// sealed/frozen as it was. Handles (timers, servers, connections) become live again in `activate`.
import { A, Integrity, IteratorFlag, K } from '../heap/tags';
import { resolveBuiltinPath } from '../heap/builtins';
import { collectTargets } from '../heap/collected-targets';
import { emitLoopCountKey } from '../heap/listener-arrays';
import { HOLE, Ref, type HeapRecord, type Property, type RecordOf } from '../heap/decoder';
import { createFunctions, type CreatedFunctions, type VariantPlacement, type VariantWrapper } from './functions';
import { type FunctionSite, type SourceEntry } from '../format/sections';
import { PrivateStamp, linkClass, stampedClasses } from './privates';
import { isClassSource, sharingClassParses } from './function-source';
import { findClassMembers, memberField } from './class-members';
import { planLiveBindings, type BindingRef, type LivePlan, type LoadedModule } from './live-bindings';
import { combinatorElement } from './combinators';
import { makeEventIterator } from './event-iterators';
import { makeFileHandle } from './file-handles';
import { WASM_BUILDERS } from './webassembly';
import type { ProgramFunction, ProgramValue } from '../heap/program-value';
import {
  activateSocket,
  listen,
  makeServer,
  makeSocket,
  nodeServerListeners,
  type AcceptingServer,
  type NodeServerListeners,
} from './net-handles';

type Kind = HeapRecord['kind'];
/** An entry of a table keyed by record kind, called with the record of its key. */
type KindEntry<R> = (...args: unknown[]) => R;

/** What a rebuild starts from: the decoded checkpoint, and how this process names its built-ins. */
export interface RebuildInput {
  records: HeapRecord[];
  rootId: number;
  sites: FunctionSite[];
  sources: SourceEntry[];
  getBuiltin: (name: string) => ProgramValue;
  /** Checkpoint Here: the paused frames' variants, made inside the contexts they closed over. */
  variants?: VariantPlacement[];
  /** A suspended or running generator's frame (its index in `variants`), by the generator's record id. */
  generatorFrames?: Map<number, number>;
  /** The descriptors of held connections and listening sockets (restore/connections.ts), by their object's record id. */
  held?: Map<number, unknown>;
  /** The texts of the ES modules the program had loaded, by URL (live-bindings.ts). */
  loadedModuleTexts?: Map<string, string>;
}

/** A suspended generator, made but its bindings not yet assigned nor primed. */
export interface MadeGenerator {
  made: ReturnType<VariantWrapper>;
  generator: Generator;
  ferry: Record<string, unknown>;
}

export interface RebuiltHeap {
  objects: unknown[];
  root: ProgramValue;
  /** Checkpoint Here: one per resumed frame, in the order of the placements given. */
  variantWrappers: VariantWrapper[];
  /** How each restored pending promise is settled. */
  pending: Map<Promise<unknown>, PromiseSettlers>;
  /** Suspended generators by frame index. */
  generators: Map<number, MadeGenerator>;
  /** The restored ES modules the program may import again, and how their bindings are read (module-stand-ins.ts). */
  modules: Map<string, LoadedModule>;
  readLive(binding: BindingRef): unknown;
  /**
   * Makes the handles live: servers listening first, then connections, then timers armed and
   * immediates queued. Call last. Throws ServerListenError, before any timer is armed, when a server cannot listen.
   */
  activate(): void;
  /**
   * Checkpoint Here inside a timer's or an immediate's callback: what Node's timer code does once
   * that callback returns (an interval is armed again, a timeout or an immediate let go).
   */
  runningCallbackReturned(): void;
}

/** What the phases of a rebuild share: the objects made so far, and what they leave for later phases. */
class HeapBuild {
  readonly records: HeapRecord[];
  readonly getBuiltin: (name: string) => ProgramValue;
  readonly objects: unknown[];
  /** Whether each object exists yet (a made object may still be empty). */
  readonly made: boolean[];
  readonly pending = new Map<Promise<unknown>, PromiseSettlers>();
  /** Run once every object is filled in: settled promises get their results, iterators their steps. */
  readonly deferred: Array<() => void> = [];
  readonly timers: number[] = [];
  readonly servers: number[] = [];
  readonly sockets: number[] = [];
  /** Node's own listeners of each server as it was made, by its record id (the program's come later). */
  readonly serverListeners = new Map<number, NodeServerListeners>();
  /** Every proxy is made revocable: its revoke function, by the proxy's id. */
  readonly revokes = new Map<number, () => void>();
  readonly stamp = new PrivateStamp();

  constructor(readonly input: RebuildInput) {
    this.records = input.records;
    this.getBuiltin = input.getBuiltin;
    this.objects = new Array<unknown>(input.records.length);
    this.made = new Array<boolean>(input.records.length).fill(false);
  }

  readonly resolve = (slot: unknown): unknown => (slot instanceof Ref ? this.objects[slot.id] : slot);

  private isProxy: ((value: unknown) => boolean) | undefined;
  /** Whether neither the object nor any of its prototypes is a proxy (whose traps an `in` or an assignment runs). */
  readonly proxyFree = (object: object): boolean => {
    this.isProxy ??= this.getBuiltin('util').types.isProxy as (value: unknown) => boolean;
    for (let at: object | null = object; at !== null; at = Object.getPrototypeOf(at) as object | null)
      if (this.isProxy(at)) return false;
    return true;
  };

  put(id: number, value: unknown): void {
    this.objects[id] = value;
    this.made[id] = true;
  }
}

/** The functions of the program, made by createFunctions, and what the later phases need of them. */
interface MadeFunctions {
  created: CreatedFunctions;
  /** For an instance with private members, its class's record id. */
  classOf: Map<number, number>;
  live: LivePlan;
}

export function rebuildHeap(input: RebuildInput): RebuiltHeap {
  const b = new HeapBuild(input);
  makeBuiltinsAndSymbols(b);
  const functions = sharingClassParses(() => makeFunctions(b));
  allocateObjects(b, functions.classOf);
  const generators = makeGenerators(b, functions.created.variantWrappers);
  // events.on() iterators first: their next() promises replace the checkpoint's before any part is taken.
  b.records.forEach((record, id) => record.kind === K.EventIterator && buildFromParts(b, id));
  for (let id = 0; id < b.records.length; id++) buildFromParts(b, id);
  functions.created.assignContexts(b.resolve);
  const integrity = fillContents(b, functions);
  startEmitLoopCounts(b);
  for (const settle of b.deferred) settle();
  // WeakRefs and registrations whose targets the program had lost lose them again.
  collectTargets(b.getBuiltin);
  // Pending promises get their reactions again, in the order they were registered.
  b.records.forEach((record, id) => {
    if (record.kind === K.Promise && record.state === 0)
      for (const reaction of record.reactions) react(b.objects[id] as Promise<unknown>, reaction, b.resolve, b.pending);
  });
  sealAsTheyWere(integrity);
  return {
    objects: b.objects,
    root: b.objects[input.rootId] as ProgramValue,
    variantWrappers: functions.created.variantWrappers,
    pending: b.pending,
    generators,
    modules: functions.live.modules,
    readLive: functions.created.readLive,
    activate: () => activateHandles(b),
    runningCallbackReturned: () => runningCallbackReturned(b),
  };
}

/** 1. Built-ins and symbols: they exist on their own. */
function makeBuiltinsAndSymbols(b: HeapBuild): void {
  b.records.forEach((record, id) => {
    if (record.kind === K.Builtin) b.put(id, resolveBuiltinPath(record.path, b.getBuiltin));
    else if (record.kind === K.Symbol)
      b.put(id, record.form === 1 ? Symbol.for(record.text) : record.form === 2 ? Symbol() : Symbol(record.text));
  });
}

/**
 * The heritage a class is made with before its parent exists (linkClass sets the real one). Defined
 * here, not as a closure of makeFunctions: the restored functions' scopes keep it for as long as
 * the program runs, and a closure would keep the whole rebuild (every record and object) with it.
 */
const placeholderHeritage = () => class {};

/**
 * 2. Functions, inside their contexts. Class members come from their class, so they are skipped
 * by createFunctions and bound to the class's own methods afterwards.
 */
function makeFunctions(b: HeapBuild): MadeFunctions {
  const { records, sites, sources, variants = [] } = b.input;
  const classMembers = findClassMembers(records, sites, sources);
  const { classOf, stamped, overPlainFunctions } = stampedClasses(records, sites);
  const live = planLiveBindings(records, sites, sources, b.input.loadedModuleTexts);
  const created = createFunctions(records, sites, sources, b.objects, {
    skip: new Set(classMembers.keys()),
    heritage: placeholderHeritage,
    variants,
    stamped,
    stamp: b.stamp,
    live,
  });
  records.forEach((record, id) => {
    if (record.kind === K.Function && !classMembers.has(id)) b.made[id] = true;
  });
  for (const [memberId, { classId, member }] of classMembers) {
    const cls = b.objects[classId] as ProgramValue;
    const descriptor = Object.getOwnPropertyDescriptor(member.static ? cls : cls.prototype, member.key);
    const field = memberField(member);
    if (typeof descriptor?.[field] !== 'function')
      throw new Error(`checkpoint corrupted: the restored class ${classId} has no member ${member.text.slice(0, 40)}`);
    b.put(memberId, descriptor[field]);
  }
  // A class's prototype object is the one its definition made (its `prototype` cannot be replaced).
  records.forEach((record, id) => {
    if (record.kind !== K.Function || !isClassSource(sites[record.site]?.source)) return;
    const cls = b.objects[id] as ProgramValue;
    const protoId = refId(record.props.find((p) => p.key === 'prototype')?.value);
    if (protoId !== undefined && !b.made[protoId]) b.put(protoId, cls.prototype);
    deleteKeysOutOfOrder(cls, record.props, b.resolve);
    const proto = protoId === undefined ? undefined : records[protoId];
    if (proto && 'props' in proto) deleteKeysOutOfOrder(cls.prototype, proto.props, b.resolve);
  });
  // Classes that make instances (private members) need their real parents before they can.
  for (const id of stamped) if (!overPlainFunctions.has(id)) linkClass(id, records, b.objects, b.made, b.resolve);
  return { created, classOf, live };
}

/**
 * Deletes a restored class's (or prototype's) own keys from the first that differs from the
 * checkpoint's order on: its placeholders (function-source.ts RestoredMember), members the program
 * deleted, and what follows a member made on its own. Filling it in adds them again in the
 * checkpoint's order (V8 keeps keys in the order they were added), so its keys list as they did.
 */
function deleteKeysOutOfOrder(holder: object, props: Property[], resolve: (slot: unknown) => unknown): void {
  const own = Reflect.ownKeys(holder);
  let same = 0;
  while (same < own.length && same < props.length && own[same] === resolveKey(props[same].key, resolve)) same++;
  for (const key of own.slice(same))
    if (Reflect.getOwnPropertyDescriptor(holder, key)?.configurable) Reflect.deleteProperty(holder, key);
}

const resolveKey = (key: string | Ref, resolve: (slot: unknown) => unknown) =>
  key instanceof Ref ? (resolve(key) as symbol) : key;

const refId = (slot: unknown): number | undefined => (slot instanceof Ref ? slot.id : undefined);

type Allocators = {
  [T in Kind]?: (b: HeapBuild, record: RecordOf<T>, id: number, classOf: Map<number, number>) => void;
};

/**
 * How each kind that needs nothing but itself is made, empty for now. The others are made from
 * their parts (FROM_PARTS), or elsewhere: generators by makeGenerators, contexts inside the
 * generated factories (createFunctions).
 */
/** An instance with private members, made by its class chain (restore/privates.ts) before it is filled. */
const madeByItsClass = (b: HeapBuild, id: number, classOf: Map<number, number>) =>
  b.stamp.make(b.objects[classOf.get(id)!] as ProgramFunction);

const ALLOCATORS: Allocators = {
  [K.Object]: (b, record, id, classOf) => b.put(id, record.privates ? madeByItsClass(b, id, classOf) : {}),
  [K.Array]: (b, record, id) => b.put(id, new Array(record.length)),
  [K.Date]: (b, record, id) => b.put(id, new Date(record.time)),
  [K.RegExp]: (b, record, id) => b.put(id, new RegExp(record.source, record.flags)),
  [K.Error]: (b, _, id) => b.put(id, new Error()),
  [K.Map]: (b, record, id, classOf) => b.put(id, record.privates ? madeByItsClass(b, id, classOf) : new Map()),
  [K.Set]: (b, record, id, classOf) => b.put(id, record.privates ? madeByItsClass(b, id, classOf) : new Set()),
  [K.WeakMap]: (b, _, id) => b.put(id, new WeakMap()),
  [K.WeakSet]: (b, _, id) => b.put(id, new WeakSet()),
  // A copy: `bytes` is a view into the file.
  [K.ArrayBuffer]: (b, record, id) => b.put(id, new Uint8Array(record.bytes).buffer),
  [K.SharedArrayBuffer]: (b, record, id) => {
    const shared = new SharedArrayBuffer(record.bytes.length);
    new Uint8Array(shared).set(record.bytes);
    b.put(id, shared);
  },
  [K.Promise]: (b, record, id) => b.put(id, makePromise(b, record)),
  [K.Timer]: (b, _, id) => {
    b.timers.push(id);
    b.put(id, makeTimer(b.getBuiltin('timers')));
  },
  [K.Immediate]: (b, record, id) => b.put(id, makeImmediate(b.getBuiltin('timers'), record)),
  [K.Server]: (b, _, id) => void b.servers.push(id), // made from its prototype's class, in FROM_PARTS
  [K.Socket]: (b, _, id) => void b.sockets.push(id), // likewise
  [K.FileWriteStream]: (b, record, id) => b.put(id, makeWriteStream(record, b.resolve, b.getBuiltin)),
  // Made by its Node class (its bound write callback, pipe()s made again below), then filled as an object.
  [K.CoreStream]: (b, record, id) =>
    b.put(id, Reflect.construct(mustBeFunction(b.resolve(record.streamClass), `stream ${id}'s class`), [])),
  [K.Module]: (b, _, id) => b.put(id, Object.create(b.getBuiltin('module').prototype)),
  // Made by its class on its descriptor, reopened before the heap is rebuilt; then given its own properties.
  [K.FileHandle]: (b, record, id) => b.put(id, makeFileHandle(record.fd as number, b.getBuiltin)),
  [K.Context]: (b, _, id) => void (b.made[id] = true), // lives inside the generated factories, not as an object
};

/** 3. Every other object, empty for now (identity first, contents later, so cycles just work). */
function allocateObjects(b: HeapBuild, classOf: Map<number, number>): void {
  b.records.forEach((record, id) => {
    if (b.made[id]) return;
    (ALLOCATORS[record.kind] as KindEntry<void> | undefined)?.(b, record, id, classOf);
  });
}

/** A pending promise, with its settlers kept; a settled one, settled once its result exists. */
function makePromise(b: HeapBuild, record: RecordOf<K.Promise>): Promise<unknown> {
  if (record.state === 0) {
    const settlers = {} as PromiseSettlers;
    const promise = new Promise((res, rej) => Object.assign(settlers, { resolve: res, reject: rej }));
    b.pending.set(promise, settlers);
    return promise;
  }
  const result = () => b.resolve(record.result);
  let settle!: () => void;
  const promise = new Promise((res, rej) => (settle = () => (record.state === 1 ? res(result()) : rej(result()))));
  if (record.state === 2) promise.catch(() => undefined); // marked handled, like the original
  b.deferred.push(settle);
  return promise;
}

/**
 * Generators: a finished one is a generator run to its end; a suspended or running one is its
 * frame's variant, created now (its body runs only when primed or called) so that it has its
 * identity from the start.
 */
function makeGenerators(b: HeapBuild, variantWrappers: VariantWrapper[]): Map<number, MadeGenerator> {
  const generators = new Map<number, MadeGenerator>();
  const frames = b.input.generatorFrames ?? new Map<number, number>();
  b.records.forEach((record, id) => {
    if (record.kind !== K.Generator) return;
    if (record.state === 0) {
      const finished = record.async ? (async function* () {})() : (function* () {})();
      void finished.next();
      return b.put(id, finished);
    }
    const frame = frames.get(id);
    if (frame === undefined) throw new Error(`checkpoint corrupted: generator ${id} has no frame`);
    const made = variantWrappers[frame]();
    const ferry: Record<string, unknown> = {};
    const generator = made.variant.call(b.resolve(record.receiver), ferry) as Generator;
    generators.set(frame, { made, generator, ferry });
    b.put(id, generator);
  });
  return generators;
}

/** Makes a part of an object being built (a slot's object, built first if need be). */
type Part = (slot: unknown) => unknown;
type PartBuilders = { [T in Kind]?: (b: HeapBuild, record: RecordOf<T>, id: number, part: Part) => unknown };

/** How each kind made from other objects is made from them. */
const FROM_PARTS: PartBuilders = {
  [K.TypedArray]: (_, record, __, part) => {
    const buffer = part(record.buffer) as ArrayBuffer;
    return record.type === 'Buffer'
      ? Buffer.from(buffer, record.byteOffset, record.length)
      : new (globalThis as ProgramValue)[record.type](buffer, record.byteOffset, record.length);
  },
  [K.DataView]: (_, record, __, part) =>
    new DataView(part(record.buffer) as ArrayBuffer, record.byteOffset, record.byteLength),
  [K.Boxed]: (_, record, __, part) => Object(part(record.value)),
  [K.Proxy]: (b, record, id, part) => {
    const made = record.revoked
      ? revokedProxy(record.callable)
      : Proxy.revocable(part(record.target) as object, part(record.handler) as ProxyHandler<object>);
    b.revokes.set(id, made.revoke);
    return made.proxy;
  },
  // Made by events.on() itself; its waiting next() calls' promises take the place of the checkpoint's.
  [K.EventIterator]: (b, record, _, part) => {
    const made = makeEventIterator(record, part, b.getBuiltin);
    record.pending.forEach((slot, i) => {
      if (slot instanceof Ref) b.put(slot.id, made.requests[i]);
    });
    b.deferred.push(made.replay);
    return made;
  },
  [K.CollectionIterator]: (b, record, _, part) => {
    const iterator = collectionIterator(
      record.flags,
      part(record.collection) as Map<unknown, unknown> | Set<unknown> | null,
    );
    // Its steps are taken again once its collection is filled in.
    b.deferred.push(() => {
      for (let i = 0; i < record.steps; i++) iterator.next();
    });
    return iterator;
  },
  // One that has revoked its proxy does nothing any more: so does a spent one.
  [K.ProxyRevoke]: (b, record, _, part) =>
    record.proxy instanceof Ref ? (part(record.proxy), b.revokes.get(record.proxy.id)) : revokedProxy(false).revoke,
  [K.BoundFunction]: (_, record, id, part) =>
    Function.prototype.bind.apply(mustBeFunction(part(record.target), `bound function ${id}'s target`), [
      part(record.boundThis),
      ...record.args.map(part),
    ]),
  [K.PromiseResolver]: (b, record, id, part) => {
    const settlers = b.pending.get(part(record.promise) as Promise<unknown>);
    const promise = record.promise instanceof Ref ? b.records[record.promise.id] : undefined;
    // The resolving functions of a settled promise do nothing any more.
    if (!settlers && promise?.kind === K.Promise && promise.state !== 0) return () => undefined;
    if (!settlers) throw new Error(`checkpoint corrupted: resolver ${id} of an object that is not a promise`);
    return record.reject ? settlers.reject : settlers.resolve;
  },
  [K.PromiseCombinatorElement]: (_, record, __, part) =>
    combinatorElement(record.combinator, record.index, part(record.group) as Parameters<typeof combinatorElement>[2]),
  [K.Require]: (b, record) => {
    // The module's filename from its record: the module object itself is not filled in yet.
    const owner = record.module instanceof Ref ? b.records[record.module.id] : undefined;
    const filename = owner?.kind === K.Module ? b.resolve(owner.filename) : undefined;
    return b.getBuiltin('module').createRequire(typeof filename === 'string' ? filename : `${process.cwd()}/`);
  },
  [K.Server]: (b, record, id, part) => {
    const server = makeServer(record, part, b.getBuiltin);
    b.serverListeners.set(id, nodeServerListeners(server));
    return server;
  },
  [K.Socket]: (b, record, id, part) => makeSocket(record, b.input.held?.get(id), part, b.getBuiltin),
  [K.NodeFactory]: (b, record, _, part) =>
    (resolveBuiltinPath(record.path, b.getBuiltin) as ProgramFunction)(...record.args.map(part)),
  ...WASM_BUILDERS,
};

/** 4. Objects built from other objects, in an order that has their parts ready. */
function buildFromParts(b: HeapBuild, id: number): unknown {
  if (b.made[id]) return b.objects[id];
  const record = b.records[id];
  b.made[id] = true; // a cycle through these kinds cannot exist: their parts are never themselves
  const build = FROM_PARTS[record.kind] as KindEntry<unknown> | undefined;
  if (!build) throw new Error(`checkpoint corrupted: object ${id} has no way to be built`);
  const part: Part = (slot) => (slot instanceof Ref ? buildFromParts(b, slot.id) : slot);
  b.objects[id] = build(b, record, id, part);
  return b.objects[id];
}

/** Fills an object's own contents; `Filled` says whether the contents every object has (fillCommon) follow. */
type Filled = 'common follows' | 'done';
type ContentFillers = {
  [T in Kind]: ((object: ProgramValue, record: RecordOf<T>, resolve: (slot: unknown) => unknown) => Filled) | 'none';
};

const commonOnly = (): Filled => 'common follows';
const mapSet = Map.prototype.set;
const setAdd = Set.prototype.add;

/** Kinds whose prototype their maker gave them: their own properties alone. */
function propertiesOnly(
  object: ProgramValue,
  record: { props: Property[] },
  resolve: (slot: unknown) => unknown,
): Filled {
  defineProperties(object, record.props, resolve);
  return 'done';
}

/** What each kind's own contents are: 'none' for kinds whose contents came with them or are handles. */
const CONTENTS: ContentFillers = {
  [K.Object]: commonOnly,
  [K.Array]: (object, record, resolve) => {
    const elements = record.elements;
    if (elements) for (let i = 0; i < elements.length; i++) if (elements[i] !== HOLE) object[i] = resolve(elements[i]);
    return 'common follows';
  },
  [K.Function]: commonOnly,
  [K.Builtin]: 'none',
  [K.NodeFactory]: 'none',
  [K.Date]: commonOnly,
  [K.RegExp]: commonOnly,
  [K.Error]: commonOnly,
  // The built-in's own methods: a subclass made by its class (stamp.make) has its prototype already.
  [K.Map]: (object, record, resolve) => {
    for (let i = 0; i < record.entries.length; i += 2)
      mapSet.call(object, resolve(record.entries[i]), resolve(record.entries[i + 1]));
    return 'common follows';
  },
  [K.Set]: (object, record, resolve) => {
    for (const entry of record.entries) setAdd.call(object, resolve(entry));
    return 'common follows';
  },
  [K.WeakMap]: (object, record, resolve) => {
    for (let i = 0; i < record.entries.length; i += 2)
      object.set(resolve(record.entries[i]), resolve(record.entries[i + 1]));
    return 'common follows';
  },
  [K.WeakSet]: (object, record, resolve) => {
    for (const entry of record.entries) object.add(resolve(entry));
    return 'common follows';
  },
  [K.ArrayBuffer]: commonOnly,
  [K.SharedArrayBuffer]: commonOnly,
  [K.TypedArray]: commonOnly,
  [K.DataView]: commonOnly,
  [K.Symbol]: 'none',
  [K.Boxed]: commonOnly,
  [K.Promise]: commonOnly,
  [K.PromiseResolver]: 'none',
  [K.PromiseCombinatorElement]: 'none',
  [K.CoreStream]: commonOnly,
  [K.Generator]: commonOnly,
  [K.FileWriteStream]: (object, record, resolve) => {
    for (let i = 0; i < record.listeners.length; i += 2)
      object.on(resolve(record.listeners[i]), resolve(record.listeners[i + 1]));
    return 'done';
  },
  [K.Proxy]: 'none',
  [K.ProxyRevoke]: 'none',
  [K.CollectionIterator]: commonOnly,
  [K.EventIterator]: 'none',
  [K.BoundFunction]: commonOnly,
  [K.Context]: 'none',
  [K.Timer]: 'none',
  [K.Immediate]: 'none',
  [K.Server]: 'none',
  [K.Socket]: commonOnly, // its listeners and settings once it is live (activateHandles)
  [K.Module]: propertiesOnly,
  [K.FileHandle]: propertiesOnly,
  [K.Require]: 'none',
  [K.WasmModule]: 'none',
  [K.WasmInstance]: 'none',
  [K.WasmExports]: 'none',
  [K.WasmFunction]: 'none',
  [K.WasmMemory]: 'none',
  [K.WasmMemoryBuffer]: 'none',
  [K.WasmTable]: 'none',
  [K.WasmGlobal]: 'none',
};

/** 5. Contents: each object's own, then its prototype, properties and private fields. Returns the objects to seal or freeze. */
function fillContents(b: HeapBuild, functions: MadeFunctions): Array<[object, number]> {
  const integrity: Array<[object, number]> = [];
  b.records.forEach((record, id) => {
    const fill = CONTENTS[record.kind] as KindEntry<Filled> | 'none';
    if (fill === 'none') return;
    const object = b.objects[id] as ProgramValue;
    if (fill(object, record, b.resolve) === 'done') return;
    fillCommon(b, functions, object, record, id);
    if ('integrity' in record && record.integrity !== Integrity.Extensible) integrity.push([object, record.integrity]);
  });
  return integrity;
}

function fillCommon(
  b: HeapBuild,
  functions: MadeFunctions,
  object: ProgramValue,
  record: HeapRecord,
  id: number,
): void {
  if ('proto' in record) {
    const proto = b.resolve(record.proto);
    if (Object.getPrototypeOf(object) !== proto) Object.setPrototypeOf(object, proto as object | null);
  }
  if ('props' in record)
    defineProperties(
      object,
      record.props,
      b.resolve,
      functions.live.namespaces.get(id),
      functions.created.readLive,
      b.proxyFree,
    );
  if ('privates' in record && record.privates) {
    const fields = new Map(record.privates.map((p) => [p.name, b.resolve(p.value)]));
    if (record.kind === K.Function) b.stamp.fillStatics(object, fields);
    else b.stamp.fill(object, fields);
  }
}

/** Every listener array of an emitter gets this Node's count of emit() loops over it, at 0 (heap/listener-arrays.ts). */
function startEmitLoopCounts(b: HeapBuild): void {
  const key = emitLoopCountKey(b.getBuiltin('events'));
  if (key === undefined) return;
  for (const record of b.records) {
    const events = 'props' in record ? record.props.find((p) => p.key === '_events')?.value : undefined;
    const table = events instanceof Ref ? b.records[events.id] : undefined;
    if (!table || !('props' in table)) continue;
    for (const { value } of table.props)
      if (value instanceof Ref && b.records[value.id].kind === K.Array)
        (b.objects[value.id] as Record<symbol, number>)[key] = 0;
  }
}

function sealAsTheyWere(integrity: Array<[object, number]>): void {
  for (const [object, level] of integrity) {
    if (level === Integrity.Frozen) Object.freeze(object);
    else if (level === Integrity.Sealed) Object.seal(object);
    else Object.preventExtensions(object);
  }
}

/** Servers first: a port that cannot be taken here fails the restore before the program runs (or the program's connections are live). */
function activateHandles(b: HeapBuild): void {
  const { records, objects, resolve, getBuiltin } = b;
  for (const id of b.servers)
    listen(
      objects[id] as ProgramValue,
      records[id] as RecordOf<K.Server>,
      resolve,
      getBuiltin('net'),
      b.input.held?.get(id),
    );
  const accepting = new Map<number, AcceptingServer>();
  for (const [id, node] of b.serverListeners) accepting.set(id, { server: objects[id], node, tracking: false });
  for (const id of b.sockets) {
    const record = records[id] as RecordOf<K.Socket>;
    const server = record.server instanceof Ref ? accepting.get(record.server.id) : undefined;
    activateSocket(objects[id], record, resolve, server);
  }
  // In the order they were due (the roots list them so): timers due at the same instant fire in it.
  const root = objects[b.input.rootId] as ProgramValue;
  const firing = new Map(((root?.timers ?? []) as unknown[]).map((timer, i) => [timer, i]));
  const rank = (id: number) => firing.get(objects[id]) ?? Infinity;
  for (const id of [...b.timers].sort((x, y) => rank(x) - rank(y))) {
    const record = records[id] as RecordOf<K.Timer>;
    if (record.running) runningTimer(objects[id] as TimeoutFields, record, resolve);
    else armTimer(objects[id] as ProgramValue, record, resolve, getBuiltin('timers'));
  }
  records.forEach((record, id) => {
    if (record.kind !== K.Immediate) return;
    if (record.running) runningImmediate(objects[id] as ImmediateFields, record, resolve);
    else armImmediate(objects[id] as ProgramValue, record, resolve);
  });
}

/**
 * Checkpoint Here inside a timer's or an immediate's callback: what Node's timer code does once
 * that callback returns (an interval is armed again, a timeout or an immediate let go).
 */
function runningCallbackReturned(b: HeapBuild): void {
  b.records.forEach((record, id) => {
    if (record.kind === K.Timer && record.running)
      timerReturned(b.objects[id] as TimeoutFields, record, b.getBuiltin('timers'));
    if (record.kind === K.Immediate && record.running) (b.objects[id] as ImmediateFields)._onImmediate = null;
  });
}

/**
 * `liveNames`: a module namespace's properties for bindings their module reassigns, read live.
 * `assignable`: whether an assignment to the object may stand for a definition (no proxy's trap runs).
 */
function defineProperties(
  object: ProgramValue,
  props: Property[],
  resolve: (slot: unknown) => unknown,
  liveNames?: Map<string, BindingRef>,
  readLive?: (binding: BindingRef) => unknown,
  assignable?: (object: object) => boolean,
): void {
  // A property no object of the chain has yet is set by plain assignment: several times faster.
  const plain = assignable && !liveNames && Object.isExtensible(object) && assignable(object);
  for (const p of props) {
    const key = resolveKey(p.key, resolve);
    if (plain && p.flags === PLAIN_DATA && isNewKey(object, key)) {
      object[key] = resolve(p.value);
      continue;
    }
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

/** A property as an assignment makes it: writable, enumerable, configurable. */
const PLAIN_DATA = A.Writable | A.Enumerable | A.Configurable;

/**
 * Whether assigning `key` makes an own data property and nothing else. Not when the key is there
 * already, own or inherited (a setter or a read-only one would take the assignment), nor
 * `__proto__` (whose assignment sets the prototype).
 */
function isNewKey(object: object, key: string | symbol): boolean {
  return key !== '__proto__' && !(key in object);
}

const noop = () => undefined;

/** A value the checkpoint names as a function: a built-in one is known to be only once it is resolved. */
function mustBeFunction(value: unknown, what: string): ProgramFunction {
  if (typeof value !== 'function')
    throw new Error(`checkpoint corrupted: ${what} is ${value === null ? 'null' : typeof value}, not a function`);
  return value;
}

/**
 * A real Timeout, created now (so identities hold): parked far in the future and unref'd, so it
 * neither fires nor keeps the process alive until `armTimer` gives it its callback and due time.
 */
function makeTimer(timers: ProgramValue): object {
  return timers.setTimeout(noop, PARKED_MS).unref();
}

/** The longest timeout Node takes: a timer made with it is parked, far from ever firing. */
const PARKED_MS = 0x7fffffff;

function armTimer(
  timer: ProgramValue,
  record: RecordOf<K.Timer>,
  resolve: (slot: unknown) => unknown,
  timers: ProgramValue,
): void {
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
function runningTimer(timer: TimeoutFields, record: RecordOf<K.Timer>, resolve: (slot: unknown) => unknown): void {
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
function timerReturned(
  timer: TimeoutFields,
  record: RecordOf<K.Timer>,
  timers: { clearTimeout(t: unknown): void },
): void {
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
  record: RecordOf<K.Immediate>,
  resolve: (slot: unknown) => unknown,
): void {
  immediate._onImmediate = mustBeFunction(resolve(record.callback), "an immediate's callback");
  immediate._argv = record.args.length ? record.args.map(resolve) : undefined;
}

function makeImmediate(timers: ProgramValue, record: RecordOf<K.Immediate>): object {
  const immediate = timers.setImmediate(noop);
  timers.clearImmediate(immediate);
  if (!record.refed) immediate.unref();
  return immediate;
}

function armImmediate(
  immediate: ProgramValue,
  record: RecordOf<K.Immediate>,
  resolve: (slot: unknown) => unknown,
): void {
  const callback = mustBeFunction(resolve(record.callback), "an immediate's callback");
  const args = record.args.map(resolve);
  // A cleared Immediate cannot be queued again: queue a fresh one that runs the original callback.
  const fresh = setImmediate(() => callback.apply(immediate, args));
  if (!record.refed) fresh.unref();
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
  reaction: RecordOf<K.Promise>['reactions'][number],
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
  record: RecordOf<K.FileWriteStream>,
  resolve: (slot: unknown) => unknown,
  getBuiltin: (name: string) => ProgramValue,
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
