// In-process inspector session: reads what JS cannot see (closure scopes, internal slots).
// Session.post answers synchronously on the same thread, even while an external debugger holds
// the process paused, so each read costs a few tens of microseconds instead of a CDP round trip.
import type { Session } from 'node:inspector';
import { HeapSnapshotStream, type ParsedSnapshot } from './heap-snapshot-stream';
import type { HeapGraph } from './heap-graph';
import type { Scope } from './closures';
import type { ProgramFunction, ProgramValue } from '../../heap/program-value';
import { readableScope } from './scope-objects';
import { utilTypes } from './walker';

type Post = (method: string, params?: object) => ProgramValue;
type ScopeEntry = { description: string; object: object };

/** A [[Scopes]] list, each scope object read as on every Node version (scope-objects.ts). */
function readableScopes(list: ArrayLike<ScopeEntry>): ScopeEntry[] {
  return Array.from(list, (scope) => ({ ...scope, object: readableScope(scope.object) }));
}

export interface InternalSlots {
  location?: { scriptId: string; lineNumber: number; columnNumber: number };
  [name: string]: unknown;
}
/** How a heap snapshot names a bound function. */
const BOUND_FUNCTION_NODE = 'native_bind';
/** The group of the box objectId() reads values through (and of what is read through it): released before a heap snapshot and at dispose. */
const BOX_GROUP = 'ferry-agent-box';

export class Introspector {
  private readonly session: Session;
  private readonly post: Post;
  /** A temporary global, deleted in dispose(): the only way to hand an object to the inspector. */
  private readonly key = `__ferry_${Math.random().toString(36).slice(2)}`;
  private readonly group = 'ferry-agent';
  private inbox: unknown;
  /** Milliseconds spent in inspector calls, the heap snapshot's aside. */
  busyMs = 0;

  constructor(inspector: typeof import('node:inspector')) {
    this.session = new inspector.Session();
    this.session.connect();
    this.post = (method, params) => {
      let result: ProgramValue;
      let failure: ProgramValue;
      const started = performance.now();
      this.session.post(method, params as never, (error: ProgramValue, value: ProgramValue) => {
        failure = error;
        result = value;
      });
      this.busyMs += performance.now() - started;
      if (failure) throw new Error(`${method}: ${failure.message}`);
      return result;
    };
    (globalThis as ProgramValue)[this.key] = (value: unknown) => {
      this.inbox = value;
    };
  }

  /** An array of one slot, and the inspector's handle on it (kept until dispose, in a group of its own). */
  private box: { array: unknown[]; objectId: string } | undefined;

  /**
   * The inspector's handle on a value: put in the box and read back as its element, a call that
   * compiles nothing (an evaluate compiles its expression every time).
   */
  private objectId(value: object): string {
    if (!this.box) {
      const array: unknown[] = [];
      (globalThis as ProgramValue)[this.key].value = array;
      const { result } = this.post('Runtime.evaluate', {
        expression: `globalThis.${this.key}.value`,
        objectGroup: BOX_GROUP,
      });
      (globalThis as ProgramValue)[this.key].value = undefined;
      this.box = { array, objectId: result.objectId };
    }
    this.box.array[0] = value;
    const { result } = this.post('Runtime.getProperties', { objectId: this.box.objectId, ownProperties: true });
    this.box.array[0] = undefined;
    return (result as Array<{ name: string; value?: { objectId?: string } }>).find((p) => p.name === '0')!.value!
      .objectId!;
  }

  /** Turns an inspector object id back into the JS value it names. */
  private materialize(objectId: string): unknown {
    this.inbox = undefined;
    this.post('Runtime.callFunctionOn', {
      objectId,
      functionDeclaration: `function () { globalThis.${this.key}(this) }`,
      objectGroup: this.group,
    });
    const value = this.inbox;
    this.inbox = undefined;
    return value;
  }

  /** Where a function starts (its [[FunctionLocation]]), its other slots left unread. */
  location(fn: object): InternalSlots['location'] {
    const { internalProperties = [] } = this.post('Runtime.getProperties', {
      objectId: this.objectId(fn),
      ownProperties: true,
    });
    return (internalProperties as Array<{ name: string; value?: { value?: InternalSlots['location'] } }>).find(
      (prop) => prop.name === '[[FunctionLocation]]',
    )?.value?.value;
  }

  /** Internal slots ([[Scopes]], [[FunctionLocation]], [[BoundThis]], [[Target]], [[Entries]], ...) as JS values. */
  internals(value: object): InternalSlots {
    const { internalProperties = [] } = this.post('Runtime.getProperties', {
      objectId: this.objectId(value),
      ownProperties: true,
    });
    const slots: InternalSlots = {};
    for (const prop of internalProperties as Array<{ name: string; value?: ProgramValue }>) {
      const remote = prop.value;
      if (!remote) continue;
      if (prop.name === '[[FunctionLocation]]') slots.location = remote.value;
      else if (prop.name === '[[Scopes]]' && remote.objectId)
        slots[prop.name] = readableScopes(this.materialize(remote.objectId) as ArrayLike<ScopeEntry>);
      else if (remote.objectId) slots[prop.name] = this.materialize(remote.objectId);
      else if (remote.unserializableValue !== undefined) slots[prop.name] = unserializable(remote.unserializableValue);
      else slots[prop.name] = remote.value;
    }
    return slots;
  }

  /**
   * A function's [[Scopes]] as JS values if its [[FunctionLocation]] is `wanted`, else undefined.
   * The location decides before any value is turned into JS: each such turn compiles a function
   * (with every other slot turned too, the program's 10,000 nameless closures of a million-object
   * capture cost 20,000 compiles and 3 s).
   */
  scopesIf(fn: object, wanted: (location: NonNullable<InternalSlots['location']>) => boolean): Scope[] | undefined {
    const { internalProperties = [] } = this.post('Runtime.getProperties', {
      objectId: this.objectId(fn),
      ownProperties: true,
    });
    const slot = (name: string) =>
      (internalProperties as Array<{ name: string; value?: ProgramValue }>).find((prop) => prop.name === name)?.value;
    const location = slot('[[FunctionLocation]]')?.value as InternalSlots['location'];
    if (!location || !wanted(location)) return undefined;
    const scopes = slot('[[Scopes]]')?.objectId as string | undefined;
    return scopes ? Array.from(this.materialize(scopes) as ArrayLike<Scope>) : [];
  }

  /** A promise's [[PromiseState]] ('pending', 'fulfilled' or 'rejected'), its result left unread. */
  promiseState(promise: object): string | undefined {
    const { internalProperties = [] } = this.post('Runtime.getProperties', {
      objectId: this.objectId(promise),
      ownProperties: true,
    });
    return (internalProperties as Array<{ name: string; value?: { value?: string } }>).find(
      (prop) => prop.name === '[[PromiseState]]',
    )?.value?.value;
  }

  /**
   * [[FunctionLocation]] and [[Scopes]] of many functions in few calls: one to name them all, one
   * getProperties each (the inspector has no batch form), one to turn every scope list into JS.
   */
  functionInternals(
    fns: ProgramFunction[],
  ): Array<{ location?: InternalSlots['location']; scopes: Array<{ description: string; object: object }> }> {
    const listId = this.objectId(fns);
    const { result: items } = this.post('Runtime.getProperties', { objectId: listId, ownProperties: true });
    const fnIds: string[] = [];
    for (const item of items as Array<{ name: string; value?: { objectId?: string } }>) {
      if (/^\d+$/.test(item.name)) fnIds[Number(item.name)] = item.value!.objectId!;
    }
    const out = fns.map(() => ({
      location: undefined as InternalSlots['location'],
      scopes: [] as Array<{ description: string; object: object }>,
    }));
    const scopeIds: Array<[number, string]> = [];
    fnIds.forEach((objectId, i) => {
      const { internalProperties = [] } = this.post('Runtime.getProperties', { objectId, ownProperties: true });
      for (const prop of internalProperties as Array<{ name: string; value?: ProgramValue }>) {
        if (prop.name === '[[FunctionLocation]]') out[i].location = prop.value?.value;
        else if (prop.name === '[[Scopes]]' && prop.value?.objectId) scopeIds.push([i, prop.value.objectId]);
      }
    });
    for (let at = 0; at < scopeIds.length; at += 1000) {
      const chunk = scopeIds.slice(at, at + 1000);
      const lists = this.callWith(
        listId,
        chunk.map(([, objectId]) => objectId),
      ) as ArrayLike<unknown>[];
      chunk.forEach(([i], k) => (out[i].scopes = readableScopes(lists[k] as ArrayLike<ScopeEntry>)));
    }
    this.release();
    return out;
  }

  /** Calls into the target with inspector objects as arguments and returns them as JS values. */
  private callWith(anyObjectId: string, objectIds: string[]): unknown[] {
    this.inbox = undefined;
    this.post('Runtime.callFunctionOn', {
      objectId: anyObjectId,
      functionDeclaration: `function (...values) { globalThis.${this.key}(values) }`,
      arguments: objectIds.map((objectId) => ({ objectId })),
      objectGroup: this.group,
    });
    const values = this.inbox as unknown[];
    this.inbox = undefined;
    return values;
  }

  /** Takes a heap snapshot (in process: its chunks arrive, and are read, while `post` runs). */
  heapSnapshot(): ParsedSnapshot {
    // The handles read through the box hold copies (each function's scope list): not for V8 to list.
    this.post('Runtime.releaseObjectGroup', { objectGroup: BOX_GROUP });
    this.box = undefined;
    const stream = new HeapSnapshotStream();
    const onChunk = (message: { params: { chunk: string } }) => stream.push(message.params.chunk);
    this.session.on('HeapProfiler.addHeapSnapshotChunk', onChunk as never);
    const busy = this.busyMs;
    try {
      this.post('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false });
    } finally {
      this.session.off('HeapProfiler.addHeapSnapshotChunk', onChunk as never);
      this.busyMs = busy;
    }
    return stream.result();
  }

  /** Heap snapshot ids of objects (valid once a snapshot has been taken). */
  heapIds(objects: object[]): number[] {
    if (objects.length === 1) return [this.heapId(this.objectId(objects[0]))];
    const listId = this.objectId(objects);
    const { result: items } = this.post('Runtime.getProperties', { objectId: listId, ownProperties: true });
    const ids: number[] = [];
    for (const item of items as Array<{ name: string; value?: { objectId?: string } }>) {
      if (!/^\d+$/.test(item.name) || !item.value?.objectId) continue;
      ids[Number(item.name)] = this.heapId(item.value.objectId);
    }
    this.release();
    return ids;
  }

  private heapId(objectId: string): number {
    return Number(this.post('HeapProfiler.getHeapObjectId', { objectId }).heapSnapshotObjectId);
  }

  private readonly byHeapId = new Map<number, unknown>();
  /** The heap snapshot's graph, once there is one: what a heap id names, to look for it among few objects. */
  graph: HeapGraph | undefined;
  private functionsByName: Map<string, object[]> | undefined;
  private promisesIndexed = false;

  /**
   * The object a heap snapshot id names. V8 answers one id by marking and scanning the whole heap
   * (tens of milliseconds on a small one, seconds on a large one), so a function (what promise
   * reactions and closures name) is looked for among the functions of its name, and a promise
   * among the promises, both from one heap query; anything else is asked of V8 (an async function's
   * object too: it has no prototype, so no heap query lists it).
   */
  objectByHeapId(heapId: number): unknown {
    if (!this.byHeapId.has(heapId)) {
      const node = this.graph?.node(heapId);
      if (node?.type === 'closure') this.indexFunctionsNamed(node.name);
      else if (node?.type === 'object' && node.name === 'Promise') this.indexPromises();
      else if (node?.type === 'object') this.indexObjectsNamedAgain(node.name);
    }
    if (this.byHeapId.has(heapId)) return this.byHeapId.get(heapId);
    const { result } = this.post('HeapProfiler.getObjectByHeapObjectId', {
      objectId: String(heapId),
      objectGroup: this.group,
    });
    const value = result.objectId ? this.materialize(result.objectId) : undefined;
    this.byHeapId.set(heapId, value);
    return value;
  }
  /**
   * As objectByHeapId, or undefined for an object V8 does not give: it answers only for objects it
   * finds a path to from its roots, and on Node 24 it finds none through a WebAssembly instance's
   * trusted data (where the instance keeps the functions it imports), which a heap snapshot shows.
   */
  reachableByHeapId(heapId: number): unknown {
    try {
      return this.objectByHeapId(heapId);
    } catch (error) {
      if ((error as Error).message.includes('Object is not available')) return undefined;
      throw error;
    }
  }

  /**
   * The own keys of an object that are not array indices, found without listing its indices (V8
   * cannot list those of a typed array of 64M elements or more: "Too many properties to enumerate").
   */
  namedKeys(value: object): Array<string | symbol> {
    const { result } = this.post('Runtime.getProperties', {
      objectId: this.objectId(value),
      ownProperties: true,
      nonIndexedPropertiesOnly: true,
    });
    this.release();
    const names = (result as Array<{ name: string; symbol?: unknown }>).filter((p) => !p.symbol).map((p) => p.name);
    return [...names, ...Object.getOwnPropertySymbols(value)];
  }

  /**
   * The bytes of every WebAssembly script the runtime compiled, by URL: the Debugger domain lists
   * the scripts when enabled, and keeps a module's bytes (scripts of one URL may be several).
   */
  wasmScripts(): Map<string, Uint8Array[]> {
    const found: Array<{ url: string; scriptId: string }> = [];
    const listener = ({ params }: { params: { url: string; scriptId: string; scriptLanguage?: string } }) => {
      if (params.scriptLanguage === 'WebAssembly') found.push(params);
    };
    this.session.on('Debugger.scriptParsed', listener);
    try {
      this.post('Debugger.enable', {});
    } finally {
      this.session.off('Debugger.scriptParsed', listener);
    }
    const scripts = new Map<string, Uint8Array[]>();
    for (const { url, scriptId } of found) {
      const { bytecode } = this.post('Debugger.getScriptSource', { scriptId });
      if (typeof bytecode !== 'string') continue;
      const list = scripts.get(url) ?? [];
      list.push(new Uint8Array(Buffer.from(bytecode, 'base64')));
      scripts.set(url, list);
    }
    return scripts;
  }

  /**
   * Every object of the program's realm with Object.prototype on its chain, from one heap query made
   * at the first need. V8 collects all garbage before each query (100-200 ms on a small program), so
   * every later lookup filters this list instead of asking again.
   */
  private census: object[] | undefined;
  private readonly instancesOf = new Map<object, object[]>();

  private everyObject(): object[] {
    if (!this.census) {
      const { objects } = this.post('Runtime.queryObjects', {
        prototypeObjectId: this.objectId(Object.prototype),
        objectGroup: this.group,
      });
      this.census = Array.from(this.materialize(objects.objectId) as object[]);
      this.release();
    }
    return this.census;
  }

  /** Every object inheriting from `prototype` when this capture first queried the heap, as a query on it lists them. */
  instances(prototype: object): object[] {
    let found = this.instancesOf.get(prototype);
    if (!found) {
      found = this.everyObject().filter((object) => inheritsFrom(object, prototype));
      this.instancesOf.set(prototype, found);
    }
    return found;
  }

  /** Enters the functions of this name by heap id (the first time: every function is listed, by name). */
  private indexFunctionsNamed(name: string): void {
    if (!this.functionsByName) {
      this.functionsByName = new Map();
      for (const fn of this.instances(Function.prototype)) {
        const own = Reflect.getOwnPropertyDescriptor(fn, 'name')?.value;
        // The snapshot names every bound function native_bind (their own name is "bound f").
        const key = typeof own !== 'string' ? '' : own.startsWith('bound ') ? BOUND_FUNCTION_NODE : own;
        const same = this.functionsByName.get(key);
        if (same) same.push(fn);
        else this.functionsByName.set(key, [fn]);
      }
    }
    const fns = this.functionsByName.get(name);
    if (!fns) return;
    this.functionsByName.delete(name);
    this.index(fns);
  }

  /** How many objects of each constructor name were asked of V8 one by one. */
  private readonly askedByName = new Map<string, number>();
  /** Objects by the constructor name a heap snapshot gives them, listed once from the heap query. */
  private objectsByName: Map<string, object[]> | undefined;

  /**
   * The second time an object of a constructor's name is asked for (the `this` of many arrows,
   * each a struct, a logger, a command), those of its name are entered by heap id from the heap
   * query, instead of one walk of the whole heap by V8 for each. Past MAX_NAMED of a name (plain
   * Objects), reading their heap ids would cost more than the walks it spares.
   */
  private indexObjectsNamedAgain(name: string): void {
    const asked = (this.askedByName.get(name) ?? 0) + 1;
    this.askedByName.set(name, asked);
    if (asked < 2) return;
    this.objectsByName ??= groupByConstructorName(this.everyObject());
    const objects = this.objectsByName.get(name);
    this.objectsByName.delete(name);
    if (objects && objects.length <= MAX_NAMED) this.index(objects);
  }

  private indexPromises(): void {
    if (this.promisesIndexed) return;
    this.promisesIndexed = true;
    this.index(this.instances(Promise.prototype));
  }

  private index(objects: object[]): void {
    this.heapIds(objects).forEach((id, i) => this.byHeapId.set(id, objects[i]));
  }

  /**
   * An object's private fields (#x) with their values. Private methods and accessors are not
   * fields: they belong to the class (the inspector lists no methods, and accessors without a value).
   */
  privateFields(value: object): Array<{ name: string; value: unknown }> {
    const objectId = this.objectId(value);
    const { privateProperties = [] } = this.post('Runtime.getProperties', { objectId, ownProperties: true });
    const fields: Array<{ name: string; value: unknown }> = [];
    const objectIds: Array<[number, string]> = [];
    for (const prop of privateProperties as Array<{ name: string; value?: ProgramValue }>) {
      const remote = prop.value;
      if (!remote) continue;
      if (remote.objectId) objectIds.push([fields.length, remote.objectId]);
      fields.push({
        name: prop.name,
        value: remote.unserializableValue !== undefined ? unserializable(remote.unserializableValue) : remote.value,
      });
    }
    if (objectIds.length > 0) {
      const values = this.callWith(
        objectId,
        objectIds.map(([, id]) => id),
      );
      objectIds.forEach(([i], k) => (fields[i].value = values[k]));
    }
    this.release();
    return fields;
  }

  release(): void {
    this.post('Runtime.releaseObjectGroup', { objectGroup: this.group });
  }

  dispose(): void {
    this.byHeapId.clear();
    try {
      this.release();
      this.post('Runtime.releaseObjectGroup', { objectGroup: BOX_GROUP });
    } finally {
      delete (globalThis as ProgramValue)[this.key];
      this.session.disconnect();
    }
  }
}

/** Objects of one constructor name past which a lookup asks V8 for each instead (see indexObjectsNamedAgain). */
const MAX_NAMED = 2000;

/** The objects that are not functions, by their constructor's name (see constructorName). */
function groupByConstructorName(objects: object[]): Map<string, object[]> {
  const byName = new Map<string, object[]>();
  for (const object of objects) {
    if (typeof object === 'function') continue;
    const name = constructorName(object);
    if (name === undefined) continue;
    const same = byName.get(name);
    if (same) same.push(object);
    else byName.set(name, [object]);
  }
  return byName;
}

/**
 * The name a heap snapshot gives an object, as near as JS reads it without running the program's
 * code: its nearest `constructor` data property's function name. A miss costs only a lookup by V8.
 */
function constructorName(object: object): string | undefined {
  const { isProxy } = utilTypes();
  for (let at = Object.getPrototypeOf(object) as object | null; at !== null && !isProxy(at);) {
    const constructor = Reflect.getOwnPropertyDescriptor(at, 'constructor');
    if (constructor) {
      const fn: unknown = constructor.value;
      if (typeof fn !== 'function' || isProxy(fn)) return undefined;
      const name: unknown = Reflect.getOwnPropertyDescriptor(fn, 'name')?.value;
      return typeof name === 'string' ? name : undefined;
    }
    at = Object.getPrototypeOf(at) as object | null;
  }
  return undefined;
}

/**
 * Whether `prototype` is on the object's chain, read as V8's heap query reads it: a proxy ends the
 * chain (its getPrototypeOf trap is the program's code, never run here).
 */
function inheritsFrom(object: object, prototype: object): boolean {
  const { isProxy } = utilTypes();
  for (let at: object | null = object; at !== null && !isProxy(at);) {
    at = Object.getPrototypeOf(at) as object | null;
    if (at === prototype) return true;
  }
  return false;
}

function unserializable(text: string): unknown {
  if (text.endsWith('n')) return BigInt(text.slice(0, -1));
  if (text === '-0') return -0;
  return Number(text);
}
