// The in-target graph walk: assigns ids in discovery order and writes one record per object
// (snapshot/heap/tags.ts). Runs synchronously while the target is stopped at a consistent point.
import {
  A,
  ASYNC_GENERATOR,
  BOXED_KINDS,
  EventIteratorFlag,
  Integrity,
  K,
  ProxyFlag,
  TYPED_ARRAY_NAMES,
  V,
} from '../../heap/tags';
import { ByteWriter, StringTable } from '../../heap/writer';
import type { Introspector } from './inspector';
import type { Registry } from './registry';
import type { DisplacedFunctions } from './runtime-names';
import { ShapeCache, isIndex, type Natives, type Shape } from './shapes';
import { ClosureContexts, contextObjects, type ContextStandIn, type ScriptFacts } from './closures';
import type { HeapGraphSource } from './heap-graph';
import type { PendingPromises } from './promises';
import type { SettledReads } from './settled-functions';
import { READ_CHUNK, readFunctionInternals, snapshotIsCheaper, type ReadCost } from './function-internals';
import type { FactoryCall, NodeFactoryCheck } from './node-factories';
import type { EventIteratorState } from './event-iterators';
import type { FunctionSite } from '../../format/sections';
import { isConstructorPrototype, replicaPath } from '../../heap/builtins';
import { superHomeGetter } from '../../heap/super-home';
import { collectionIteratorPosition } from './collection-iterators';
import { globalValue, memoryBuffer, type WasmPart } from './webassembly';
import type { WasmGlobal, WasmMemory } from '../../heap/webassembly-api';
import type { ProgramFunction, ProgramValue } from '../../heap/program-value';

/** A function met in the walk, its internals (location, scopes) still to be read. */
type PendingFunction = { fn: ProgramFunction; id: number; source: string };

export interface Refusal {
  path: string;
  reason: string;
}

/** What the walker must know about the target, supplied by the agent entry. */
export interface WalkEnvironment {
  registry: Registry;
  /** Node's functions no built-in path reaches any more, named by a fresh process's paths (runtime-names.ts). */
  displaced: DisplacedFunctions;
  introspector: Introspector;
  /** Scripts of the runtime itself (node:...): their functions are never copied. */
  isInternalScript(scriptId: string): boolean;
  /** Live handles recognised by the handle layer (timers, servers): written with their own kind. */
  writeHandle(walker: HeapWalker, value: object, id: number): boolean;
  /** Objects the program cannot have made and that Ferry cannot carry, with the reason. */
  uncarriable(value: object): string | undefined;
  /** Objects Node made for the program that its public factories make again (node-factories.ts). */
  nodeFactory: NodeFactoryCheck;
  /** For the key of an events.on() iterator's scope (event-iterators.ts): its state, or why it cannot be carried. */
  eventIteratorState(value: object): EventIteratorState | string | undefined;
  /** For a WebAssembly object (webassembly.ts): how it is carried, or why it cannot be. */
  webAssembly(value: object): WasmPart | string | undefined;
  /** For an in-memory Node stream: its Node class (it is constructed again, then filled), or why it cannot be carried. */
  coreStreamClass(value: object): ProgramFunction | string | undefined;
  /** V8 natives for the shape fast path; without them every property is read by descriptor. */
  natives?: Natives;
  /** Node 24's count of emit() loops on a listener array (heap/listener-arrays.ts): never carried. */
  emitLoopCount?: symbol;
  /** What the controller learned from a script's source (see capture/analysis.ts). */
  scriptFacts(scriptId: string): ScriptFacts | undefined;
  /** Functions read ahead of the stop whose reads still hold (settled-functions.ts). */
  settledReads: SettledReads | undefined;
  /** The one heap snapshot of this capture, taken the first time it is asked for. */
  heapGraph: HeapGraphSource;
  /** The target's heap in use: what a heap snapshot costs is in proportion to it. */
  heapBytes: number;
  promises: PendingPromises;
  /** For a revoke function of Proxy.revocable: its proxy (null once revoked). */
  proxyOfRevokeFunction(fn: ProgramFunction): { proxy: object | null } | undefined;
  /** An async function suspended at an `await` on `awaited` (carried as a frame). */
  suspended(asyncFunction: object, awaited: object, from: number): void;
  /** A generator suspended at a `yield` (or an async generator at an `await`), written as record `id` (its frame is carried too). */
  suspendedGenerator(generator: object, id: number): void;
  /** A generator running on the paused stack, written as record `id`: false if no frame is its own. */
  runningGenerator(generator: object, id: number): boolean;
  /** Frames carried so far: the paused stack's, then the suspended async functions' and generators'. */
  liveActivations(): number;
}

const TYPED_ARRAY_PROTOTYPE = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayTag = Object.getOwnPropertyDescriptor(TYPED_ARRAY_PROTOTYPE, Symbol.toStringTag)!.get!;
const objectToString = Object.prototype.toString;
/** The tags whose writers (HeapWalker.byTag) write only what an internal slot confirms. */
const SLOT_CONFIRMED_TAGS = [
  '[object Map]',
  '[object Set]',
  '[object Date]',
  '[object RegExp]',
  '[object Error]',
  '[object Promise]',
];
const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size')!.get! as (this: object) => number;
const setSize = Object.getOwnPropertyDescriptor(Set.prototype, 'size')!.get! as (this: object) => number;
const isArrayBufferView = ArrayBuffer.isView;
const TYPED_ARRAY_CONSTRUCTORS: Record<string, ProgramFunction> = Object.fromEntries(
  TYPED_ARRAY_NAMES.filter((n) => n !== 'Buffer').map((n) => [n, (globalThis as ProgramValue)[n]]),
);

export class HeapWalker {
  readonly out = new ByteWriter();
  readonly strings = new StringTable();
  readonly ids = new Map<unknown, number>();
  private readonly queue: unknown[] = [];
  /** Discovery tree, for naming the path of anything refused. */
  private readonly parent: number[] = [];
  private readonly via: Array<string | symbol> = [];
  readonly sites: FunctionSite[] = [];
  private readonly siteIndex = new Map<string, number>();
  readonly refusals: Refusal[] = [];
  readonly warnings: string[] = [];
  readonly rootNames: string[] = [];
  written = 0;

  private readonly shapes: ShapeCache | undefined;
  private readonly closures: ClosureContexts;

  constructor(private readonly env: WalkEnvironment) {
    this.shapes = env.natives ? new ShapeCache(env.natives, (view) => env.introspector.namedKeys(view)) : undefined;
    this.closures = new ClosureContexts(
      {
        id: (value, from, key) => this.id(value, from, key),
        value: (value, from, key, out) => this.value(value, from, key, out),
        refuse: (id, reason) => this.addRefusal(id, reason),
        warn: (message) => this.warnings.push(message),
        isBuiltin: (value) => this.env.registry.has(value),
        liveActivations: () => this.env.liveActivations(),
      },
      env.introspector,
      env.heapGraph,
    );
  }

  /** Assigns an id (queueing the object for its record) and returns it. */
  id(value: unknown, from = -1, key: string | symbol = ''): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.queue.length;
      this.ids.set(value, id);
      this.queue.push(value);
      this.parent.push(from);
      this.via.push(key);
    }
    return id;
  }

  root(name: string, value: object): number {
    const id = this.id(value, -1, name);
    this.rootNames[id] ??= name;
    return id;
  }

  /**
   * Writes records until every discovered object has one (functions' scopes read in batches).
   * `settle` runs once the closure contexts are decided (again if a heap snapshot re-decides
   * them, or its key changes) and may discover more objects.
   */
  drain(settle?: { key(): number; run(closures: ClosureContexts): void }): void {
    let settledAt = '';
    for (;;) {
      while (this.written < this.queue.length) {
        const id = this.written++;
        this.record(this.queue[id], id);
      }
      if (this.pendingFunctions.length > 0) this.resolvePendingFunctions();
      else if (this.closures.resolveIdentityIfNeeded()) continue;
      else if (settle && settledAt !== `${this.closures.generation}:${settle.key()}`) {
        settledAt = `${this.closures.generation}:${settle.key()}`;
        settle.run(this.closures);
      } else break;
    }
    this.closures.writeTable(this.functionTable);
  }

  /** A slot value: primitives inline, objects as references. */
  value(value: unknown, from: number, key: string | symbol, out = this.out): void {
    switch (typeof value) {
      case 'undefined':
        out.byte(V.Undefined);
        return;
      case 'boolean':
        out.byte(value ? V.True : V.False);
        return;
      case 'number':
        if (Number.isInteger(value) && value >= -0x40000000 && value < 0x40000000 && !Object.is(value, -0)) {
          out.byte(V.Int);
          out.uint(value >= 0 ? value * 2 : -value * 2 - 1);
        } else {
          out.byte(V.Double);
          out.double(value);
        }
        return;
      case 'string':
        out.byte(V.String);
        out.uint(this.strings.add(value));
        return;
      case 'bigint':
        out.byte(V.BigInt);
        out.uint(this.strings.add(value.toString()));
        return;
      default:
        if (value === null) {
          out.byte(V.Null);
          return;
        }
        out.byte(V.Ref);
        out.uint(this.id(value, from, key));
    }
  }

  private key(key: string | symbol, from: number): void {
    if (typeof key === 'string') {
      this.out.byte(V.String);
      this.out.uint(this.strings.intern(key));
    } else {
      this.out.byte(V.Ref);
      this.out.uint(this.id(key, from, '[key]'));
    }
  }

  private string(text: string): void {
    this.out.uint(this.strings.intern(text));
  }

  /** Own properties with attributes; accessors are written as their getter and setter, never called. */
  properties(object: object, id: number, skip?: (key: string | symbol) => boolean, proto?: object | null): void {
    const shape =
      this.shapes && proto !== undefined && this.shapes.hasPlainElements(object)
        ? this.shapes.shapeOf(object, proto)
        : undefined;
    const keys = Reflect.ownKeys(object);
    const named = shape ? keys.length - shape.keys.length : -1;
    if (!shape || named < 0 || !sameKeys(keys, named, shape.keys))
      return this.describedProperties(object, id, keys, skip);
    let count = 0;
    for (let i = 0; i < keys.length; i++) if (!skip || !skip(keys[i])) count++;
    this.out.uint(count);
    const keyIds = (shape.keyIds ??= shape.keys.map((k) => (typeof k === 'string' ? this.strings.intern(k) : -1)));
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (skip && skip(key)) continue;
      const keyId = i < named ? -1 : keyIds[i - named];
      if (keyId >= 0) {
        this.out.byte(V.String);
        this.out.uint(keyId);
      } else {
        this.key(key, id);
      }
      const flags = i < named ? A.Default : shape.flags[i - named];
      this.out.byte(flags);
      if (flags & A.Accessor) {
        const d = Reflect.getOwnPropertyDescriptor(object, key)!;
        this.value(d.get, id, key);
        this.value(d.set, id, key);
      } else {
        this.value((object as ProgramValue)[key], id, key);
      }
    }
  }

  /** The slow path: one descriptor per property (dictionary-mode objects, unusual elements). */
  private describedProperties(
    object: object,
    id: number,
    keys: Array<string | symbol>,
    skip?: (key: string | symbol) => boolean,
    describe = (key: string | symbol) => Reflect.getOwnPropertyDescriptor(object, key)!,
  ): void {
    let count = 0;
    for (let i = 0; i < keys.length; i++) if (!skip || !skip(keys[i])) count++;
    this.out.uint(count);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (skip && skip(key)) continue;
      this.key(key, id);
      this.described(describe(key), id, key);
    }
  }

  /** A property's attribute bits and value (or getter and setter) from its descriptor. */
  private described(d: PropertyDescriptor, id: number, key: string | symbol): void {
    const flags = (d.enumerable ? A.Enumerable : 0) | (d.configurable ? A.Configurable : 0);
    if ('value' in d) {
      this.out.byte(flags | (d.writable ? A.Writable : 0));
      this.value(d.value, id, key);
    } else {
      this.out.byte(flags | A.Accessor);
      this.value(d.get, id, key);
      this.value(d.set, id, key);
    }
  }

  private integrity(object: object): void {
    this.out.byte(
      Object.isExtensible(object)
        ? Integrity.Extensible
        : Object.isFrozen(object)
          ? Integrity.Frozen
          : Object.isSealed(object)
            ? Integrity.Sealed
            : Integrity.NonExtensible,
    );
  }

  /** The common tail of every ordinary record: prototype, integrity, own properties. */
  tail(object: object, id: number, skip?: (key: string | symbol) => boolean): void {
    const proto = Object.getPrototypeOf(object);
    this.value(proto, id, '[[Prototype]]');
    this.integrity(object);
    this.properties(object, id, skip, proto);
  }

  /** Records a refusal in place of a record; the capture will fail, so the record only keeps the stream well formed. */
  refuse(id: number, reason: string): void {
    this.addRefusal(id, reason);
    this.out.byte(K.Object);
    this.value(null, id, '');
    this.out.byte(Integrity.Extensible);
    this.out.uint(0);
  }

  addRefusal(id: number, reason: string): void {
    this.refusals.push({ path: this.pathOf(id), reason });
  }

  pathOf(id: number): string {
    const steps: string[] = [];
    for (let at = id; at >= 0; at = this.parent[at]) {
      const key = this.via[at];
      if (this.parent[at] < 0) steps.push(this.rootNames[at] ?? String(key));
      else steps.push(typeof key === 'symbol' ? `[${key.description ?? 'symbol'}]` : key);
    }
    return steps.reverse().join(' › ');
  }

  private record(value: unknown, id: number): void {
    const builtin = this.env.registry.get(value);
    if (builtin !== undefined) {
      this.out.byte(K.Builtin);
      this.string(builtin);
      return;
    }
    if (typeof value === 'symbol') return this.symbol(value);
    const object = value as object;
    if (this.recordOwned(object, id)) return;
    const privates = this.privateFields(object);
    if (privates) {
      const refusal = privatesRefusal(object, privates);
      if (refusal) return this.refuse(id, refusal);
      this.writePrivates(privates, id);
    }
    if (typeof object === 'function') return this.func(object as ProgramFunction, id);
    if (Array.isArray(object)) return this.array(object, id);
    // The tag is a cheap first guess (an inherited Symbol.toStringTag can fake it, as
    // Map.prototype's own does): each exotic kind is confirmed by its internal slot.
    const tag = objectToString.call(object);
    if (this.byTag[tag]?.(object, id, tag)) return;
    if (tag !== '[object Object]' && !(tag in this.byTag) && this.bySlot(object, id)) return;
    if (isArrayBufferView(object)) return this.typedArray(object as Uint8Array, id);
    // An instance's exports object: frozen, without a prototype.
    if (Object.getPrototypeOf(object) === null && Object.isFrozen(object) && this.webAssembly(object, id)) return;
    const husk = this.runtimeClassRefusal(object);
    if (husk) return this.refuse(id, husk);
    this.out.byte(K.Object);
    this.tail(object, id);
  }

  /**
   * An object inheriting from a proxy: anything that looks up its prototypes (its tag, `instanceof`,
   * its class, even the inspector's view of it) would run the proxy's traps in the program. Its
   * prototype and own properties are carried. Refused: an array or a built-in kind, and an
   * instance of a class with private fields (a class whose prototype is below the proxy's).
   */
  private belowProxy(object: object, id: number): void {
    if (Array.isArray(object) || hasBuiltinSlots(object))
      return this.refuse(id, 'an array or built-in object inheriting from a proxy: not carried yet');
    for (let p = Object.getPrototypeOf(object) as object; !isProxy(p); p = Object.getPrototypeOf(p) as object)
      if (declaresPrivates(Reflect.getOwnPropertyDescriptor(p, 'constructor')?.value))
        return this.refuse(id, 'an object with private fields inheriting from a proxy: not carried yet');
    this.out.byte(K.Object);
    this.tail(object, id);
  }

  /** Whether each prototype met so far has a proxy in its chain (the program is stopped: chains hold). */
  private readonly proxiedChains = new Map<object, boolean>();

  private inheritsFromProxy(object: object): boolean {
    const proto = Object.getPrototypeOf(object) as object | null;
    if (proto === null) return false;
    let proxied = this.proxiedChains.get(proto);
    if (proxied === undefined) {
      proxied = isProxy(proto) || this.inheritsFromProxy(proto);
      this.proxiedChains.set(proto, proxied);
    }
    return proxied;
  }

  /**
   * An object that something other than its properties says how to carry (a closure context, a
   * proxy, what Node made or runs, a core stream), or that cannot be: written or refused here.
   */
  private recordOwned(object: object, id: number): boolean {
    if (contextObjects.has(object)) {
      this.writeContext(object as never, id);
      return true;
    }
    // Before anything reflective: on a proxy, ownKeys or toString would run the handler's traps.
    if (isProxy(object)) {
      this.proxy(object, id);
      return true;
    }
    if (typeof object === 'object' && this.inheritsFromProxy(object)) {
      this.belowProxy(object, id);
      return true;
    }
    const reason = this.env.uncarriable(object);
    if (reason) {
      this.refuse(id, reason);
      return true;
    }
    const eventIterator = this.env.eventIteratorState(object);
    if (typeof eventIterator === 'string') this.refuse(id, eventIterator);
    else if (eventIterator) this.eventIterator(eventIterator, id);
    if (eventIterator !== undefined) return true;
    return (
      this.recordNodeMade(object, id) || this.env.writeHandle(this, object, id) || this.recordCoreStream(object, id)
    );
  }

  /** An object Node made, written as the factory call that makes it again (node-factories.ts). */
  private recordNodeMade(object: object, id: number): boolean {
    const call = this.env.nodeFactory(object);
    if (typeof call === 'string') this.refuse(id, call);
    else if (call) this.factoryCall(call, id);
    return call !== undefined;
  }

  private factoryCall(call: FactoryCall, id: number): void {
    this.out.byte(K.NodeFactory);
    this.string(call.path);
    this.out.uint(call.args.length);
    call.args.forEach((arg, i) => this.value(arg, id, `[[FactoryArgs]][${i}]`));
  }

  /** An in-memory stream of one of Node's classes (core-streams.ts): its class, then its state. */
  private recordCoreStream(object: object, id: number): boolean {
    const streamClass = this.env.coreStreamClass(object);
    if (typeof streamClass === 'string') this.refuse(id, streamClass);
    else if (streamClass && this.privateFields(object))
      this.refuse(id, `a ${streamClass.name} stream of a class with private members: not carried yet`);
    else if (streamClass) {
      this.out.byte(K.CoreStream);
      this.value(streamClass, id, '[[StreamClass]]');
      this.tail(object, id);
    }
    return streamClass !== undefined;
  }

  /** Writers of the exotic kinds by their tag: each confirms its kind first, and says whether it wrote. */
  private readonly byTag: Record<string, (object: object, id: number, tag: string) => boolean> = {
    '[object Error]': (object, id) => utilTypes().isNativeError(object) && this.error(object, id),
    '[object Date]': (object, id) => utilTypes().isDate(object) && this.date(object as Date, id),
    '[object RegExp]': (object, id) => utilTypes().isRegExp(object) && this.regExp(object as RegExp, id),
    '[object Map]': (object, id) => utilTypes().isMap(object) && this.collection(object, id, true),
    '[object Set]': (object, id) => utilTypes().isSet(object) && this.collection(object, id, false),
    '[object WeakMap]': (object, id) => this.weakCollection(object, id),
    '[object WeakSet]': (object, id) => this.weakCollection(object, id),
    '[object ArrayBuffer]': (object, id) => this.arrayBuffer(object, id),
    '[object SharedArrayBuffer]': (object, id) => this.arrayBuffer(object, id),
    '[object DataView]': (object, id) => utilTypes().isDataView(object) && this.dataView(object as DataView, id),
    '[object Number]': (object, id, tag) => this.boxed(object, id, tag),
    '[object String]': (object, id, tag) => this.boxed(object, id, tag),
    '[object Boolean]': (object, id, tag) => this.boxed(object, id, tag),
    '[object BigInt]': (object, id, tag) => this.boxed(object, id, tag),
    '[object Symbol]': (object, id, tag) => this.boxed(object, id, tag),
    '[object Promise]': (object, id) =>
      utilTypes().isPromise(object) && this.wrote(() => this.promise(object as Promise<unknown>, id)),
    // Found as a frame's own `arguments` binding (or a sloppy function's `arguments` property), it is
    // carried as a copy: the held-out programs' frames never wrote through it, and refusing those
    // refused ten of them. Kept under another name, as a closure's `args`, the aliasing is its use.
    '[object Arguments]': (object, id) =>
      utilTypes().isArgumentsObject(object) &&
      this.via[id] !== 'arguments' &&
      aliasesParameters(object) &&
      this.wrote(() => this.refuse(id, ALIASING_ARGUMENTS)),
    // A generator function's `prototype` inherits the tag without being a generator.
    '[object Generator]': (object, id) =>
      utilTypes().isGeneratorObject(object) && this.wrote(() => this.generator(object, id, false)),
    '[object AsyncGenerator]': (object, id) =>
      utilTypes().isGeneratorObject(object) && this.wrote(() => this.generator(object, id, true)),
    '[object Map Iterator]': (object, id) => this.iterator(object, id),
    '[object Set Iterator]': (object, id) => this.iterator(object, id),
    '[object WebAssembly.Module]': (object, id) => this.webAssembly(object, id),
    '[object WebAssembly.Instance]': (object, id) => this.webAssembly(object, id),
    '[object WebAssembly.Memory]': (object, id) => this.webAssembly(object, id),
    '[object WebAssembly.Table]': (object, id) => this.webAssembly(object, id),
    '[object WebAssembly.Global]': (object, id) => this.webAssembly(object, id),
    '[object Array Iterator]': (object, id, tag) => this.positionUnread(object, id, tag),
    '[object String Iterator]': (object, id, tag) => this.positionUnread(object, id, tag),
  };

  /**
   * A program's class may report a tag of its own (QuickLRU extends Map, its tag 'QuickLRU'): the
   * kinds whose writers confirm an internal slot are tried by it.
   */
  private bySlot(object: object, id: number): boolean {
    return SLOT_CONFIRMED_TAGS.some((tag) => this.byTag[tag](object, id, tag));
  }

  /** Runs a writer that returns nothing, for a tag writer that says it wrote. */
  private wrote(write: () => void): true {
    write();
    return true;
  }

  private weakCollection(object: object, id: number): boolean {
    const is = utilTypes();
    if (!is.isWeakMap(object) && !is.isWeakSet(object)) return false;
    return this.wrote(() => this.weak(object, id, is.isWeakMap(object)));
  }

  private iterator(object: object, id: number): boolean {
    const is = utilTypes();
    if (!is.isMapIterator(object) && !is.isSetIterator(object)) return false;
    return this.wrote(() => this.collectionIterator(object, id, is.isSetIterator(object)));
  }

  /** An error: its own properties, its `stack` as the text it holds (stackAsData). */
  private error(error: object, id: number): true {
    this.out.byte(K.Error);
    this.value(Object.getPrototypeOf(error), id, '[[Prototype]]');
    this.integrity(error);
    this.describedProperties(error, id, Reflect.ownKeys(error), undefined, stackAsData(error));
    return true;
  }

  private date(date: Date, id: number): true {
    this.out.byte(K.Date);
    this.out.double(Date.prototype.getTime.call(date));
    this.tail(date, id);
    return true;
  }

  private regExp(re: RegExp, id: number): true {
    this.out.byte(K.RegExp);
    this.string(re.source);
    this.string(re.flags);
    this.tail(re, id);
    return true;
  }

  private collection(object: object, id: number, isMap: boolean): true {
    this.out.byte(isMap ? K.Map : K.Set);
    if (isMap) this.entries(Map.prototype.entries.call(object), mapSize.call(object), id, true);
    else this.entries(Set.prototype.values.call(object), setSize.call(object), id, false);
    this.tail(object, id);
    return true;
  }

  private arrayBuffer(object: object, id: number): boolean {
    const is = utilTypes();
    if (!is.isAnyArrayBuffer(object)) return false;
    // A WebAssembly memory's buffer is the restored memory's.
    if (this.webAssembly(object, id)) return true;
    const bytes = new Uint8Array(object as ArrayBuffer);
    this.out.byte(is.isArrayBuffer(object) ? K.ArrayBuffer : K.SharedArrayBuffer);
    this.out.uint(bytes.length);
    this.out.raw(bytes);
    this.tail(object, id);
    return true;
  }

  private dataView(view: DataView, id: number): true {
    this.out.byte(K.DataView);
    this.value(view.buffer, id, '[[ViewedArrayBuffer]]');
    this.out.uint(view.byteOffset);
    this.out.uint(view.byteLength);
    this.tail(view, id);
    return true;
  }

  private boxed(object: object, id: number, tag: string): boolean {
    if (!utilTypes().isBoxedPrimitive(object)) return false;
    const kind = tag.slice(8, -1) as (typeof BOXED_KINDS)[number];
    this.out.byte(K.Boxed);
    this.out.byte(BOXED_KINDS.indexOf(kind));
    this.value((globalThis as ProgramValue)[kind].prototype.valueOf.call(object), id, '[[PrimitiveValue]]');
    this.tail(
      object,
      id,
      kind === 'String' ? (k) => typeof k === 'string' && (k === 'length' || /^\d+$/.test(k)) : undefined,
    );
    return true;
  }

  /** An Array or String iterator: its position is a small integer in the object that neither JS, the inspector nor a heap snapshot shows. */
  private positionUnread(object: object, id: number, tag: string): boolean {
    if (Object.getPrototypeOf(object) === null) return false;
    this.refuse(
      id,
      `an ${tag.slice(8, -1)} whose position cannot be read (an index kept in a variable can be carried instead)`,
    );
    return true;
  }

  private readonly runtimeClassRefusals = new Map<object, string | null>();

  /**
   * Why an object of a runtime class that no record above carries cannot be copied as plain
   * properties: its class keeps state in internal slots (the runtime's Symbol.toStringTag marks
   * those: ReadableStream, Blob, Intl.Segments…) or in private fields (Event, Headers). Copied, it
   * would restore as a husk whose methods throw. Decided once per prototype.
   */
  private runtimeClassRefusal(object: object): string | undefined {
    const proto = Object.getPrototypeOf(object);
    // A subclass's `prototype` object has no internal slots of its parent's: plain properties carry it.
    if (proto === null || proto === Object.prototype || isClassPrototype(object)) return undefined;
    let refusal = this.runtimeClassRefusals.get(proto);
    if (refusal === undefined) {
      refusal = null;
      for (let p = proto; p !== null && p !== Object.prototype && refusal === null; p = Object.getPrototypeOf(p)) {
        if (!this.env.registry.has(p)) continue; // the program's own class
        const tag = Reflect.getOwnPropertyDescriptor(p, Symbol.toStringTag)?.value;
        const ctor = Reflect.getOwnPropertyDescriptor(p, 'constructor')?.value;
        // A generator function's `prototype` inherits Generator's tag and is an ordinary object.
        if (typeof tag === 'string' && tag !== 'Generator' && tag !== 'AsyncGenerator')
          refusal = `a ${tag}, an object of the runtime whose state Ferry cannot read (not carried yet)`;
        else if (declaresPrivates(ctor))
          refusal = `an instance of ${ctor.name}, a class of the runtime that keeps its state in private fields (not carried yet)`;
      }
      this.runtimeClassRefusals.set(proto, refusal);
    }
    return refusal ?? undefined;
  }

  private collectionIterator(iterator: object, id: number, ofSet: boolean): void {
    const position = collectionIteratorPosition(iterator, ofSet, this.env.introspector, this.env.heapGraph);
    if (typeof position === 'string') return this.refuse(id, position);
    this.out.byte(K.CollectionIterator);
    this.out.byte(position.flags);
    this.value(position.collection, id, '[[IteratedCollection]]');
    this.out.uint(position.steps);
    this.tail(iterator, id);
  }

  private eventIterator(state: EventIteratorState, id: number): void {
    this.out.byte(K.EventIterator);
    this.value(state.emitter, id, '[[Emitter]]');
    this.value(state.event, id, '[[Event]]');
    this.out.byte(
      (state.finished ? EventIteratorFlag.Finished : 0) | (state.readline ? EventIteratorFlag.Readline : 0),
    );
    this.out.double(state.lowWatermark);
    this.out.double(state.highWatermark);
    this.value(state.error, id, '[[Error]]');
    for (const [name, list] of [
      ['[[CloseEvents]]', state.closeEvents],
      ['[[UnreadEvents]]', state.buffered],
      ['[[WaitingNext]]', state.pending],
    ] as const) {
      this.out.uint(list.length);
      list.forEach((value, i) => this.value(value, id, `${name}[${i}]`));
    }
  }

  /** Writes a WebAssembly object's record (or its refusal): false when it is none. */
  private webAssembly(object: object, id: number): boolean {
    const part = this.env.webAssembly(object);
    if (part === undefined) return false;
    if (typeof part === 'string') {
      this.refuse(id, part);
      return true;
    }
    this.out.byte(part.kind);
    switch (part.kind) {
      case K.WasmModule:
        this.out.uint(part.bytes.length);
        this.out.raw(part.bytes);
        break;
      case K.WasmInstance:
        this.value(part.module, id, '[[Module]]');
        this.out.uint(part.imports.length);
        for (const { module, name, value } of part.imports) {
          this.string(module);
          this.string(name);
          this.value(value, id, `[[Imports]] ${module}.${name}`);
        }
        this.out.uint(part.state.length);
        part.state.forEach((value, i) => this.value(value, id, `[[Exports]][${i}]`));
        this.out.uint(part.globals.length);
        for (const { index, type, value } of part.globals) {
          this.out.uint(index);
          this.out.byte(type);
          this.value(value, id, `[[Globals]][${index}]`);
        }
        break;
      case K.WasmExports:
        this.value(part.instance, id, '[[Instance]]');
        break;
      case K.WasmMemoryBuffer:
        this.value(part.memory, id, '[[Memory]]');
        break;
      default:
        this.value(part.instance, id, '[[Instance]]');
        this.string(part.name);
        this.wasmState(part, object, id);
    }
    return true;
  }

  /** A function's place, or what an exported memory, table or global holds now. */
  private wasmState(part: WasmPart, object: object, id: number): void {
    if (part.kind === K.WasmFunction) this.value(part.index, id, '[[Index]]');
    else if (part.kind === K.WasmMemory) {
      const bytes = new Uint8Array(memoryBuffer(object as WasmMemory));
      this.out.uint(bytes.length);
      this.out.raw(bytes);
    } else if (part.kind === K.WasmTable) {
      // Only the entries that differ from a new instance's.
      this.out.uint(part.length);
      this.out.uint(part.changes.length);
      for (const { index, value } of part.changes) {
        this.out.uint(index);
        this.value(value, id, `[[Entries]][${index}]`);
      }
    } else if (part.kind === K.WasmGlobal) this.value(globalValue(object as WasmGlobal), id, '[[Value]]');
  }

  private symbol(symbol: symbol): void {
    this.out.byte(K.Symbol);
    const registered = Symbol.keyFor(symbol);
    this.out.byte(registered !== undefined ? 1 : symbol.description === undefined ? 2 : 0);
    this.string(registered ?? symbol.description ?? '');
  }

  private array(array: unknown[], id: number): void {
    const length = array.length;
    this.out.byte(K.Array);
    this.out.uint(length);
    if (this.shapes && this.shapes.hasPlainElements(array)) {
      // Fast elements hold only plain data properties: read them directly, holes by absence.
      this.out.byte(1);
      for (let i = 0; i < length; i++) {
        const v = array[i];
        if (v === undefined && !hasOwn.call(array, i)) this.out.byte(V.Hole);
        else this.value(v, id, String(i));
      }
      const proto = Object.getPrototypeOf(array);
      this.value(proto, id, '[[Prototype]]');
      this.integrity(array);
      return this.arrayNamedProperties(array, id, proto);
    }
    const keys = Reflect.ownKeys(array);
    // Dense when most indices exist: element values in order; sparse arrays keep only their keys.
    const dense = keys.length - 1 >= length / 2;
    this.out.byte(dense ? 1 : 0);
    if (dense) {
      for (let i = 0; i < length; i++) {
        const d = Reflect.getOwnPropertyDescriptor(array, i);
        if (d === undefined) this.out.byte(V.Hole);
        else if ('value' in d && d.writable && d.enumerable && d.configurable) this.value(d.value, id, String(i));
        else this.out.byte(V.Hole); // unusual element attributes travel with the named properties below
      }
    }
    this.tail(array, id, (key) => this.notArrayProperty(key) || (dense && isPlainIndexKey(array, key)));
  }

  /** An array's keys written otherwise (`length`, by its elements) or not at all (an emit() loop count). */
  private readonly notArrayProperty = (key: string | symbol): boolean =>
    key === 'length' || key === this.env.emitLoopCount;

  /** An array's own non-index properties besides `length` (usually none). */
  private arrayNamedProperties(array: unknown[], id: number, proto: object | null): void {
    const shape = this.shapes!.shapeOf(array, proto);
    if (shape) return this.shapedProperties(array, id, shape, this.notArrayProperty);
    const keys = Reflect.ownKeys(array).filter(
      (k) => !this.notArrayProperty(k) && (typeof k === 'symbol' || !isIndex(k)),
    );
    this.out.uint(keys.length);
    for (const key of keys) {
      this.key(key, id);
      this.described(Reflect.getOwnPropertyDescriptor(array, key)!, id, key);
    }
  }

  private entries(iterator: IterableIterator<ProgramValue>, size: number, id: number, pairs: boolean): void {
    this.out.uint(size);
    let index = 0;
    for (const entry of iterator) {
      if (pairs) {
        this.value(entry[0], id, `[[Entries]][${index}].key`);
        this.value(entry[1], id, `[[Entries]][${index}].value`);
      } else {
        this.value(entry, id, `[[Entries]][${index}]`);
      }
      index++;
    }
  }

  private weak(object: object, id: number, isMap: boolean): void {
    const { '[[Entries]]': entries } = this.env.introspector.internals(object) as {
      '[[Entries]]'?: Array<{ key?: unknown; value: unknown }>;
    };
    const list = entries ? Array.from(entries) : [];
    this.out.byte(isMap ? K.WeakMap : K.WeakSet);
    this.out.uint(list.length);
    list.forEach((entry, i) => {
      if (isMap) {
        this.value(entry.key, id, `[[Entries]][${i}].key`);
        this.value(entry.value, id, `[[Entries]][${i}].value`);
      } else {
        this.value(entry.value, id, `[[Entries]][${i}]`);
      }
    });
    this.tail(object, id);
  }

  private typedArray(view: Uint8Array, id: number): void {
    const name = Buffer.isBuffer(view) ? 'Buffer' : (typedArrayTag.call(view) as string);
    this.out.byte(K.TypedArray);
    this.out.byte(TYPED_ARRAY_NAMES.indexOf(name as never));
    this.value(view.buffer, id, '[[ViewedArrayBuffer]]');
    this.out.uint(view.byteOffset);
    this.out.uint(view.length);
    // Its bytes travel with its buffer. Its named properties (usually none) come from its shape when
    // it has a known one: listing its own keys would list every index.
    const proto = Object.getPrototypeOf(view);
    const small = () =>
      !this.env.registry.has(proto)
        ? undefined
        : name === 'Buffer'
          ? Buffer.alloc(0)
          : Reflect.construct(TYPED_ARRAY_CONSTRUCTORS[name], [0], proto.constructor);
    const shape = this.shapes?.shapeOf(view, proto, small);
    this.value(proto, id, '[[Prototype]]');
    this.integrity(view);
    if (shape) this.shapedProperties(view, id, shape);
    else this.describedProperties(view, id, this.env.introspector.namedKeys(view));
  }

  /** The named properties of an object whose shape is known, without listing its keys (`skip` aside). */
  private shapedProperties(object: object, id: number, shape: Shape, skip?: (key: string | symbol) => boolean): void {
    this.out.uint(skip ? shape.keys.filter((key) => !skip(key)).length : shape.keys.length);
    shape.keys.forEach((key, i) => {
      if (skip?.(key)) return;
      this.key(key, id);
      if (shape.flags[i] & A.Accessor) {
        this.described(Reflect.getOwnPropertyDescriptor(object, key)!, id, key);
      } else {
        this.out.byte(shape.flags[i]);
        this.value((object as ProgramValue)[key], id, key);
      }
    });
  }

  private promise(promise: Promise<unknown>, id: number): void {
    const slots = this.env.introspector.internals(promise);
    const state = slots['[[PromiseState]]'];
    if (state === 'pending') return this.pendingPromise(promise, id);
    this.out.byte(K.Promise);
    this.out.byte(state === 'fulfilled' ? 1 : 2);
    this.value(slots['[[PromiseResult]]'], id, '[[PromiseResult]]');
    this.tail(promise, id);
  }

  /** A generator object: finished, suspended at a `yield` or `await` (its frame is carried too), or running on the paused stack. */
  private generator(generator: object, id: number, async: boolean): void {
    const slots = this.env.introspector.internals(generator);
    const state = slots['[[GeneratorState]]'];
    if (state === 'running' && async)
      return this.refuse(id, 'an async generator running on the stack (not carried yet)');
    if (state === 'running' && !this.env.runningGenerator(generator, id))
      return this.refuse(id, 'a generator running on the stack whose frame cannot be told apart (recursion)');
    this.out.byte(K.Generator);
    this.out.byte((state === 'closed' ? 0 : state === 'running' ? 2 : 1) | (async ? ASYNC_GENERATOR : 0));
    this.value(slots['[[GeneratorReceiver]]'], id, '[[GeneratorReceiver]]');
    if (state === 'suspended') this.env.suspendedGenerator(generator, id);
    this.tail(generator, id);
  }

  /** A pending promise with the `then` reactions it will run; awaits on it become suspended frames. */
  private pendingPromise(promise: Promise<unknown>, id: number): void {
    const reactions = this.env.promises.reactions(promise);
    if (typeof reactions === 'string') return this.refuse(id, reactions);
    this.out.byte(K.Promise);
    this.out.byte(0);
    this.value(undefined, id, '[[PromiseResult]]');
    const thens = reactions.filter((r) => r.kind === 'then');
    this.out.uint(thens.length);
    for (const reaction of thens) {
      this.value(reaction.onFulfilled, id, '[[Reaction]] onFulfilled');
      this.value(reaction.onRejected, id, '[[Reaction]] onRejected');
      this.value(reaction.derived, id, '[[Reaction]] promise');
    }
    for (const reaction of reactions) {
      if (reaction.kind !== 'await') continue;
      // An async generator's frame goes with its object (written as a generator record): walk it even
      // when only this promise leads to it; it finds the promise it awaits itself.
      if (reaction.asyncGenerator) this.id(reaction.asyncFunction, id, '[[AwaitingGenerator]]');
      else this.env.suspended(reaction.asyncFunction, promise, id);
    }
    this.tail(promise, id);
  }

  private proxy(proxy: object, id: number): void {
    const slots = this.env.introspector.internals(proxy);
    // A restored program's `super` stand-in: made again by the next restore's runtime, not carried with its traps.
    const home = superHomeGetter(slots['[[Handler]]']);
    if (home) return this.factoryCall({ path: replicaPath('superOf'), args: [home] }, id);
    this.out.byte(K.Proxy);
    this.value(slots['[[Target]]'], id, '[[Target]]');
    this.value(slots['[[Handler]]'], id, '[[Handler]]');
    this.out.byte(
      (slots['[[IsRevoked]]'] ? ProxyFlag.Revoked : 0) | (typeof proxy === 'function' ? ProxyFlag.Callable : 0),
    );
  }

  /**
   * User functions are written in two parts: the record (its own properties) now, and its entry
   * in the function table (source site, closure context) when its batch of inspector reads is done.
   */
  private func(fn: ProgramFunction, id: number): void {
    const source = Function.prototype.toString.call(fn);
    if (source.endsWith('[native code] }')) return this.nativeFunction(fn, id);
    const displaced = this.env.displaced.pathOf(fn, source);
    if (displaced !== undefined) {
      this.out.byte(K.Builtin);
      this.string(displaced);
      return;
    }
    // A class's own static private fields (#x) are carried with it.
    if (PRIVATE_CLASS.test(source)) {
      const fields = this.env.introspector.privateFields(fn);
      if (fields.length > 0) this.writePrivates(fields, id);
    }
    this.out.byte(K.Function);
    this.out.uint(this.pendingFunctions.length + this.functionEntries);
    this.pendingFunctions.push({ fn, id, source });
    this.tail(fn, id);
  }

  /** Bound functions, the resolving functions of promises, the element functions of Promise.all/allSettled/any and Proxy.revocable's revoke functions are carried; no other native function outside the registry is. */
  private nativeFunction(fn: ProgramFunction, id: number): void {
    const slots = this.env.introspector.internals(fn);
    if (!('[[TargetFunction]]' in slots)) {
      const resolver = this.env.promises.resolverOf(fn);
      if (resolver) {
        this.out.byte(K.PromiseResolver);
        this.value(resolver.promise, id, '[[Promise]]');
        this.out.byte(resolver.reject ? 1 : 0);
        return;
      }
      const element = this.env.promises.combinators.element(fn);
      if (typeof element === 'string') return this.refuse(id, element);
      if (!element) return this.otherNativeFunction(fn, id);
      this.out.byte(K.PromiseCombinatorElement);
      this.out.byte(element.combinator);
      this.out.uint(element.index);
      this.value(element.group, id, '[[Combinator]]');
      return;
    }
    this.out.byte(K.BoundFunction);
    this.value(slots['[[TargetFunction]]'], id, '[[TargetFunction]]');
    this.value(slots['[[BoundThis]]'], id, '[[BoundThis]]');
    const args = Array.from((slots['[[BoundArgs]]'] as unknown[]) ?? []);
    this.out.uint(args.length);
    args.forEach((arg, i) => this.value(arg, id, `[[BoundArgs]][${i}]`));
    this.tail(fn, id);
  }

  /** A revoke function of Proxy.revocable is carried with its proxy; no other native function is. */
  private otherNativeFunction(fn: ProgramFunction, id: number): void {
    if (this.webAssembly(fn, id)) return;
    const revoker = this.env.proxyOfRevokeFunction(fn);
    if (revoker) {
      this.out.byte(K.ProxyRevoke);
      this.value(revoker.proxy, id, '[[RevocableProxy]]');
      return;
    }
    // One the program took from its place (signal-exit keeps `process.reallyExit`, then replaces it).
    const displaced = this.env.displaced.pathOfNative(fn);
    if (displaced === undefined)
      return this.refuse(id, `${describeFunction(fn)}, a native function of the runtime that Ferry cannot re-create`);
    this.out.byte(K.Builtin);
    this.string(displaced);
  }

  private readonly pendingFunctions: PendingFunction[] = [];
  private functionEntries = 0;
  readonly functionTable = new ByteWriter();

  private readonly readCost: ReadCost = { functions: 0, ms: 0 };

  /**
   * Reads the internals of the functions found since the last time: one by one, a chunk at a
   * time, until their contexts must be told apart by the heap snapshot anyway or it is cheaper;
   * then the rest at once, grouped by context chain.
   */
  private resolvePendingFunctions(): void {
    const batch = this.pendingFunctions.splice(0);
    for (let at = 0; at < batch.length;) {
      if (!this.closures.heapSnapshot) {
        if (snapshotIsCheaper(batch.length - at, this.readCost, this.env.heapBytes))
          this.closures.identifyByHeapSnapshot('functions whose scopes cost more to read one by one');
        else this.closures.resolveIdentityIfNeeded();
      }
      const chunk = batch.slice(at, this.closures.heapSnapshot ? batch.length : at + READ_CHUNK);
      // Weighed in CPU time, as the snapshot's cost is: a loaded machine slows both alike.
      const cpu = process.cpuUsage();
      this.addFunctions(chunk);
      if (!this.closures.heapSnapshot) {
        const used = process.cpuUsage(cpu);
        this.readCost.functions += chunk.length;
        this.readCost.ms += (used.user + used.system) / 1000;
      }
      at += chunk.length;
    }
  }

  private addFunctions(batch: PendingFunction[]): void {
    const internals = readFunctionInternals(
      this.env.introspector,
      this.closures.heapSnapshot,
      batch.map((p) => p.fn),
      this.env.settledReads,
    );
    batch.forEach(({ fn, id, source }, i) => {
      const { location, scopes, heapId } = internals[i];
      this.functionEntries++;
      if (!location || this.env.isInternalScript(location.scriptId)) {
        this.closures.addRefused(fn, id);
        this.addRefusal(id, `${describeFunction(fn)}, a function of the Node runtime that Ferry cannot re-create`);
        return;
      }
      const siteKey = `${location.scriptId}:${location.lineNumber}:${location.columnNumber}`;
      let site = this.siteIndex.get(siteKey);
      if (site === undefined) {
        site = this.sites.length;
        this.sites.push({
          scriptId: location.scriptId,
          line: location.lineNumber,
          column: location.columnNumber,
          source,
        });
        this.siteIndex.set(siteKey, site);
      }
      this.closures.add(fn, id, site, scopes, this.env.scriptFacts(location.scriptId), location, heapId);
    });
  }

  private readonly privateClasses = new Map<object, boolean>();

  /**
   * The private fields (#x) of an instance of a class declaring private members; undefined for
   * everything else (only such classes cost a read). An instance gets a list even when empty: its
   * private methods need it made by its class (their brand).
   */
  private privateFields(object: object): PrivateField[] | undefined {
    if (typeof object === 'function') return undefined; // a class's static ones: see func()
    const proto = Object.getPrototypeOf(object);
    if (proto === null || this.env.registry.has(proto)) return undefined;
    let declares = this.privateClasses.get(proto);
    if (declares === undefined) {
      declares = false;
      for (let p = proto; p !== null && !declares && !this.env.registry.has(p); p = Object.getPrototypeOf(p)) {
        declares = declaresPrivates(Reflect.getOwnPropertyDescriptor(p, 'constructor')?.value);
      }
      this.privateClasses.set(proto, declares);
    }
    return declares ? this.env.introspector.privateFields(object) : undefined;
  }

  /** The prefix of a record whose object holds private fields: their names and values. */
  private writePrivates(fields: PrivateField[], id: number): void {
    this.out.byte(K.Privates);
    this.out.uint(fields.length);
    for (const { name, value } of fields) {
      this.string(name);
      this.value(value, id, name);
    }
  }

  /** Context stand-ins come from the closure layer; written here when their turn comes. */
  writeContext(ctx: ContextStandIn, id: number): void {
    this.out.byte(K.Context);
    this.string(ctx.description);
    this.value(ctx.parent, id, '[[Parent]]');
    const names = Object.keys(ctx.variables);
    this.out.uint(names.length);
    for (const name of names) {
      this.string(name);
      this.value((ctx.variables as ProgramValue)[name], id, name);
    }
  }
}

function sameKeys(keys: Array<string | symbol>, from: number, expected: Array<string | symbol>): boolean {
  for (let i = 0; i < expected.length; i++) if (keys[from + i] !== expected[i]) return false;
  return true;
}

const hasOwn = Object.prototype.hasOwnProperty;

function isPlainIndexKey(array: unknown[], key: string | symbol): boolean {
  if (typeof key !== 'string' || !/^(0|[1-9]\d*)$/.test(key)) return false;
  const d = Reflect.getOwnPropertyDescriptor(array, key)!;
  return 'value' in d && !!d.writable && !!d.enumerable && !!d.configurable;
}

interface PrivateField {
  name: string;
  value: unknown;
}

/**
 * A class whose text names a private member (#x): a cheap first test, the inspector says which. A
 * private name starts like an identifier: `#333` in a comment (csv-parse's Parser) is none.
 */
const PRIVATE_CLASS = /^class\b[^{]*\{[\s\S]*#[A-Za-z_$]/;

function declaresPrivates(value: unknown): boolean {
  return typeof value === 'function' && PRIVATE_CLASS.test(Function.prototype.toString.call(value));
}

/** Why an object's private fields cannot be carried; undefined when they can. */
function privatesRefusal(object: object, fields: PrivateField[]): string | undefined {
  const names = fields.map((f) => f.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice)
    return `an instance whose class chain declares ${twice} twice (two private names under one name cannot be told apart)`;
  const is = utilTypes();
  const exotic =
    Array.isArray(object) ||
    is.isNativeError(object) ||
    is.isDate(object) ||
    is.isRegExp(object) ||
    is.isWeakMap(object) ||
    is.isWeakSet(object) ||
    is.isAnyArrayBuffer(object) ||
    isArrayBufferView(object) ||
    is.isBoxedPrimitive(object) ||
    is.isPromise(object) ||
    is.isGeneratorObject(object);
  if (exotic)
    return `a built-in ${objectToString.call(object).slice(8, -1)} made by a class with private members (${names.join(', ') || 'methods'}), which is not carried yet`;
  return undefined;
}

let types: typeof import('node:util').types | undefined;
export function utilTypes(): typeof import('node:util').types {
  return (types ??= (process as ProgramValue).getBuiltinModule('util').types as typeof import('node:util').types);
}

/**
 * A class's prototype object (`class DraftMap extends Map`'s): it inherits the built-in's tag but is
 * an ordinary object, not an instance. A proxy constructor is not looked into: that would run its traps.
 */
function isClassPrototype(object: object): boolean {
  const ctor = Reflect.getOwnPropertyDescriptor(object, 'constructor')?.value;
  return typeof ctor === 'function' && !isProxy(ctor) && isConstructorPrototype(object);
}

/** Whether an object is of a built-in kind, told by its internal slots (nothing the program's code can run). */
function hasBuiltinSlots(object: object): boolean {
  const is = utilTypes();
  return (
    is.isMap(object) ||
    is.isSet(object) ||
    is.isWeakMap(object) ||
    is.isWeakSet(object) ||
    is.isDate(object) ||
    is.isRegExp(object) ||
    is.isNativeError(object) ||
    is.isPromise(object) ||
    is.isBoxedPrimitive(object) ||
    is.isAnyArrayBuffer(object) ||
    isArrayBufferView(object) ||
    is.isMapIterator(object) ||
    is.isSetIterator(object) ||
    is.isGeneratorObject(object)
  );
}

const ALIASING_ARGUMENTS =
  "the `arguments` object of a sloppy-mode function with parameters, kept under another name: it and the parameters change together, which a restored copy would not (not carried yet; 'use strict' in that function makes it a plain copy)";

/**
 * Whether an `arguments` object is a sloppy function's mapped one (its `callee` a plain value, not
 * strict code's throwing accessor) with parameters it maps: a write to either changes the other.
 */
function aliasesParameters(args: object): boolean {
  const callee = Reflect.getOwnPropertyDescriptor(args, 'callee');
  if (!callee || !('value' in callee) || typeof callee.value !== 'function') return false;
  const parameters = Reflect.getOwnPropertyDescriptor(callee.value, 'length')?.value;
  const length = Reflect.getOwnPropertyDescriptor(args, 'length')?.value;
  return typeof parameters === 'number' && parameters > 0 && typeof length === 'number' && length > 0;
}

export function isProxy(value: object): boolean {
  return utilTypes().isProxy(value);
}

export function describeFunction(fn: ProgramFunction): string {
  const name = (Object.getOwnPropertyDescriptor(fn, 'name')?.value as string) || 'anonymous';
  return `function ${name}`;
}

/**
 * An error's own properties, its `stack` as the text it holds: Node 22 and 24 give every error an
 * own `stack` accessor of V8's (native, the same for all errors), which reads the stack kept inside
 * the error, where Node 20 gives it a data property. Written as data, it restores on any version.
 */
function stackAsData(error: object): (key: string | symbol) => PropertyDescriptor {
  return (key) => {
    const d = Reflect.getOwnPropertyDescriptor(error, key)!;
    const native = (fn: unknown) =>
      typeof fn === 'function' && Function.prototype.toString.call(fn).endsWith('[native code] }');
    if (key !== 'stack' || 'value' in d || !native(d.get)) return d;
    return {
      value: (error as { stack?: unknown }).stack,
      writable: true,
      enumerable: d.enumerable,
      configurable: true,
    };
  };
}
