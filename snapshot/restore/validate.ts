// Reads a checkpoint's contents and checks that they hang together before anything of them is
// made: the manifest's fields, the JSON sections' shapes, and every heap record's references (a
// prototype is an object, a callback can be called, a typed array lies inside its buffer...).
// Hashes prove that a file is what was written, not that what was written is sound: a checkpoint
// made by a bug or by hand is refused here with what is wrong and where, never with a JS error
// from deep in the rebuild or a crash once the program runs on.
import { WASM_PAGE } from '../heap/webassembly-api';
import { VALUE_TYPES } from '../heap/wasm-binary';
import { BOXED_KINDS, EventIteratorFlag, IteratorFlag, K } from '../heap/tags';
import { decodeHeap, Ref, type HeapRecord, type RecordOf, type Slot } from '../heap/decoder';
import {
  SECTION,
  type ArrayIteration,
  type FunctionSite,
  type LoopKind,
  type ModuleFormat,
  type RequirableFile,
  type RuntimeRole,
  type SectionName,
  type SourceEntry,
  type StoredFrame,
} from '../format/sections';
import type { StoredManifest } from '../format/manifest';
import { CONNECTION_ROLES, type CarriedConnection, type ConnectionsRecord } from '../format/connections';
import { FerryError } from '../errors';

/** A checkpoint whose contents do not hang together; its message names what and where. */
export class CheckpointContentError extends FerryError {
  readonly kind = 'bad-checkpoint';
}

export interface CheckpointContents {
  sites: FunctionSite[];
  sources: SourceEntry[];
  records: HeapRecord[];
  /** The paused stack of a Checkpoint Here, and functions suspended at an `await` (may be empty). */
  frames: StoredFrame[];
  /** Where the program's modules' requests resolve, and the files they name that it had not loaded (absent in older checkpoints). */
  requirable: RequirableFile[];
}

/** `mapString` rewrites each string of the heap as it is read (restore/paths.ts: the program run in another directory). */
export function readCheckpointContents(
  manifest: StoredManifest,
  sections: Map<string, Buffer>,
  mapString?: (value: string) => string,
): CheckpointContents {
  checkManifest(manifest);
  const sites = readJsonSection(sections, SECTION.functions, isFunctionSite, 'function site');
  const sources = readJsonSection(sections, SECTION.sources, isSource, 'source');
  const records = decodeHeap(
    section(sections, SECTION.heap),
    (bytes, encoding) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(encoding),
    mapString,
  );
  checkHeap(records, manifest.heap.rootId, sites.length);
  checkConnectionObjects(manifest.handles.connections, records);
  const frames =
    manifest.kind === 'here' || sections.has(SECTION.frames)
      ? readJsonSection(sections, SECTION.frames, isFrameShape, 'frame')
      : [];
  frames.forEach((frame, k) => checkFramePlacement(frame, k, records));
  const requirable = sections.has(SECTION.requirable)
    ? readJsonSection(sections, SECTION.requirable, isRequirableFile, 'requirable file')
    : [];
  return { sites, sources, records, frames, requirable: withSourceTexts(requirable, sources) };
}

function section(sections: Map<string, Buffer>, name: SectionName): Buffer {
  const data = sections.get(name);
  if (!data) throw new CheckpointContentError(`checkpoint corrupted: no "${name}" section`);
  return data;
}

function readJsonSection<T>(
  sections: Map<string, Buffer>,
  name: SectionName,
  isItem: (item: unknown) => item is T,
  what: string,
): T[] {
  const data = section(sections, name);
  let items: unknown;
  try {
    items = JSON.parse(data.toString('utf8'));
  } catch {
    throw new CheckpointContentError(`checkpoint corrupted: the "${name}" section is not valid JSON`);
  }
  if (!Array.isArray(items))
    throw new CheckpointContentError(`checkpoint corrupted: the "${name}" section is not a list`);
  const bad = items.findIndex((item) => !isItem(item));
  if (bad >= 0)
    throw new CheckpointContentError(`checkpoint corrupted: ${what} ${bad} in the "${name}" section is malformed`);
  return items as T[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isStringList = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'string');
const isLocation = (value: unknown) => isObject(value) && isCount(value.line) && isCount(value.column);

function isFunctionSite(item: unknown): item is FunctionSite {
  return (
    isObject(item) &&
    typeof item.scriptId === 'string' &&
    isCount(item.line) &&
    isCount(item.column) &&
    typeof item.source === 'string'
  );
}

function isSource(item: unknown): item is SourceEntry {
  return (
    isObject(item) &&
    typeof item.scriptId === 'string' &&
    typeof item.url === 'string' &&
    typeof item.source === 'string' &&
    (item.module === undefined || typeof item.module === 'boolean')
  );
}

function isRequirableFile(item: unknown): item is RequirableFile {
  const isPath = (value: unknown) => typeof value === 'string' && value.startsWith('/');
  const isRequestList = (list: unknown) =>
    Array.isArray(list) &&
    list.every(
      (pair: unknown) => Array.isArray(pair) && pair.length === 2 && isPath(pair[0]) && typeof pair[1] === 'string',
    );
  return (
    isObject(item) &&
    isPath(item.path) &&
    (item.text === undefined || typeof item.text === 'string') &&
    (item.textInSources === undefined || (typeof item.textInSources === 'string' && item.text === undefined)) &&
    isRequestList(item.requiredAs) &&
    (item.importedAs === undefined || isRequestList(item.importedAs)) &&
    (item.format === undefined || MODULE_FORMATS.includes(item.format as ModuleFormat))
  );
}

const MODULE_FORMATS: ModuleFormat[] = ['module', 'commonjs', 'json'];

/** Each requirable file's text, taken from the `sources` entry it names instead of holding its own. */
function withSourceTexts(files: RequirableFile[], sources: SourceEntry[]): RequirableFile[] {
  const byUrl = new Map(sources.map((s) => [s.url, s.source]));
  return files.map(({ textInSources, ...file }) => {
    if (textInSources === undefined) return file;
    const text = byUrl.get(textInSources);
    if (text === undefined)
      throw new CheckpointContentError(
        `checkpoint corrupted: the requirable file ${file.path} names a source that is not there (${textInSources})`,
      );
    return { ...file, text };
  });
}

function isFrameShape(item: unknown): item is StoredFrame {
  return (
    isObject(item) &&
    typeof item.scriptId === 'string' &&
    typeof item.url === 'string' &&
    typeof item.functionName === 'string' &&
    isLocation(item.location) &&
    (['innermost', 'caller', 'suspended'] as unknown[]).includes(item.role) &&
    Array.isArray(item.scopes) &&
    item.scopes.every((s: unknown) => isObject(s) && typeof s.type === 'string') &&
    isCount(item.data) &&
    (item.context === null || isCount(item.context)) &&
    typeof item.own === 'boolean' &&
    (item.generator === undefined || isCount(item.generator)) &&
    (item.nativeCallback === undefined || typeof item.nativeCallback === 'string') &&
    (item.calledBy === undefined ||
      (Array.isArray(item.calledBy) &&
        item.calledBy.every((role: unknown) => RUNTIME_ROLES.has(role as RuntimeRole)))) &&
    (item.loops === undefined || (Array.isArray(item.loops) && item.loops.every(isLoopStart)))
  );
}

/** A frame's loop record: its kind, and for an array where it goes on and by which iterator. */
function isLoopStart(loop: unknown): boolean {
  return (
    isObject(loop) &&
    LOOP_KINDS.has(loop.kind as LoopKind) &&
    (loop.from === undefined || isCount(loop.from)) &&
    (loop.iteration === undefined || ARRAY_ITERATIONS.has(loop.iteration as ArrayIteration))
  );
}

const LOOP_KINDS = new Set<LoopKind>(['array', 'remaining', 'iterator']);
const ARRAY_ITERATIONS = new Set<ArrayIteration>(['entries', 'keys', 'values']);

const RUNTIME_ROLES = new Set<RuntimeRole>([
  'listeners',
  'afterWrite',
  'timer',
  'immediate',
  'tick',
  'microtask',
  'tail',
  'tail-value',
]);

/** The manifest fields the restore reads, with the types it reads them as. */
export function checkManifest(m: StoredManifest): void {
  const wrong = (field: string) =>
    new CheckpointContentError(`checkpoint corrupted: the manifest's ${field} is missing or malformed`);
  if (m.kind !== 'idle' && m.kind !== 'here')
    throw new CheckpointContentError(
      `this restore runtime cannot resume a ${JSON.stringify(m.kind) ?? 'kindless'} checkpoint (it resumes "idle" and "here")`,
    );
  if (!isObject(m.heap) || !isCount(m.heap.rootId)) throw wrong('heap.rootId');
  if (!isObject(m.program) || typeof m.program.cwd !== 'string' || !isStringList(m.program.argv))
    throw wrong('program (cwd, argv)');
  if (
    !isObject(m.process) ||
    !isObject(m.process.env) ||
    !Object.values(m.process.env).every((v) => v === undefined || typeof v === 'string')
  )
    throw wrong('process.env');
  if (
    typeof m.process.title !== 'string' ||
    !Number.isInteger(m.process.umask) ||
    !(m.process.exitCode === null || m.process.exitCode === undefined || Number.isInteger(m.process.exitCode))
  ) {
    throw wrong('process (title, umask, exitCode)');
  }
  const isHandleCount = (h: unknown) => isObject(h) && isCount(h.count);
  if (
    !isObject(m.handles) ||
    !isHandleCount(m.handles.timers) ||
    !isHandleCount(m.handles.immediates) ||
    !Array.isArray(m.handles.servers)
  )
    throw wrong('handles');
  const files = m.handles.files;
  if (
    files !== undefined &&
    !(
      Array.isArray(files) &&
      files.every(
        (f) =>
          isObject(f) &&
          isCount(f.fd) &&
          typeof f.path === 'string' &&
          Number.isInteger(f.flags) &&
          isCount(f.position),
      )
    )
  ) {
    throw wrong('handles.files');
  }
  if (m.handles.connections !== undefined && !isConnectionsRecord(m.handles.connections))
    throw wrong('handles.connections');
  const requirable = m.requirable as unknown;
  if (
    requirable !== undefined &&
    !(
      isObject(requirable) &&
      isCount(requirable.files) &&
      isCount(requirable.bytes) &&
      (requirable.loadedFiles === undefined || isCount(requirable.loadedFiles)) &&
      (requirable.loadedBytes === undefined || isCount(requirable.loadedBytes)) &&
      isCount(requirable.computed) &&
      isStringList(requirable.computedAt)
    )
  )
    throw wrong('requirable');
}

function isConnectionsRecord(value: unknown): value is ConnectionsRecord {
  const isEnd = (end: unknown) => typeof end === 'string';
  const isConnection = (c: unknown): c is CarriedConnection =>
    isObject(c) &&
    isCount(c.object) &&
    isCount(c.fd) &&
    (CONNECTION_ROLES as readonly unknown[]).includes(c.role) &&
    isEnd(c.local) &&
    (c.remote === null || isEnd(c.remote));
  return (
    isObject(value) &&
    Array.isArray(value.sockets) &&
    value.sockets.every(isConnection) &&
    (value.holder === null ||
      (isObject(value.holder) && typeof value.holder.path === 'string' && typeof value.holder.token === 'string'))
  );
}

/** Each carried connection names a record of its kind: a server for a listening socket, a socket otherwise. */
function checkConnectionObjects(connections: ConnectionsRecord | undefined, records: HeapRecord[]): void {
  for (const [k, c] of (connections?.sockets ?? []).entries()) {
    const kind = c.role === 'listening' ? K.Server : K.Socket;
    if (records[c.object]?.kind !== kind)
      throw new CheckpointContentError(
        `checkpoint corrupted: connection ${k} (${c.role}) names ${describe(records, c.object)}, not ${KIND_NAMES[kind]}`,
      );
  }
}

/** What a record is, for messages: "object 12 (a Map)". */
const KIND_NAMES: Record<number, string> = {
  [K.Object]: 'an object',
  [K.Array]: 'an array',
  [K.Function]: 'a function',
  [K.Builtin]: 'a built-in',
  [K.Date]: 'a Date',
  [K.RegExp]: 'a RegExp',
  [K.Error]: 'an Error',
  [K.Map]: 'a Map',
  [K.Set]: 'a Set',
  [K.WeakMap]: 'a WeakMap',
  [K.WeakSet]: 'a WeakSet',
  [K.ArrayBuffer]: 'an ArrayBuffer',
  [K.TypedArray]: 'a typed array',
  [K.DataView]: 'a DataView',
  [K.Symbol]: 'a symbol',
  [K.Boxed]: 'a boxed primitive',
  [K.Promise]: 'a promise',
  [K.Proxy]: 'a proxy',
  [K.BoundFunction]: 'a bound function',
  [K.Context]: 'a closure context',
  [K.Timer]: 'a timer',
  [K.Immediate]: 'an immediate',
  [K.Server]: 'a server',
  [K.Module]: 'a module',
  [K.Require]: 'a require function',
  [K.SharedArrayBuffer]: 'a SharedArrayBuffer',
  [K.NodeFactory]: 'an object made by Node',
  [K.PromiseResolver]: 'a promise resolver',
  [K.Generator]: 'a generator',
  [K.FileWriteStream]: 'a file write stream',
  [K.PromiseCombinatorElement]: 'a promise combinator element',
  [K.CoreStream]: 'a stream',
  [K.ProxyRevoke]: 'a proxy revoke function',
  [K.CollectionIterator]: 'a Map or Set iterator',
  [K.Socket]: 'a connection',
  [K.EventIterator]: 'an events.on() iterator',
  [K.FileHandle]: 'a FileHandle',
  [K.WasmModule]: 'a WebAssembly module',
  [K.WasmInstance]: 'a WebAssembly instance',
  [K.WasmExports]: "a WebAssembly instance's exports",
  [K.WasmFunction]: 'a WebAssembly function',
  [K.WasmMemory]: 'a WebAssembly memory',
  [K.WasmMemoryBuffer]: "a WebAssembly memory's buffer",
  [K.WasmTable]: 'a WebAssembly table',
  [K.WasmGlobal]: 'a WebAssembly global',
};

/** Kinds whose objects can be called (a built-in or a proxy may be: they are checked when made). */
const CALLABLE = new Set<K>([
  K.Function,
  K.BoundFunction,
  K.Builtin,
  K.NodeFactory,
  K.Proxy,
  K.PromiseResolver,
  K.PromiseCombinatorElement,
  K.Require,
  K.ProxyRevoke,
  K.WasmFunction,
]);
/** Kinds that are not objects a program can hold as one (a prototype, a key of a WeakMap, a proxy's target). */
const NOT_OBJECTS = new Set<K>([K.Symbol, K.Context]);
const BUFFERS = new Set<K>([K.ArrayBuffer, K.SharedArrayBuffer, K.WasmMemoryBuffer]);
const ELEMENT_SIZES: Record<string, number> = {
  Int8Array: 1,
  Uint8Array: 1,
  Uint8ClampedArray: 1,
  Buffer: 1,
  Int16Array: 2,
  Uint16Array: 2,
  Int32Array: 4,
  Uint32Array: 4,
  Float32Array: 4,
  Float64Array: 8,
  BigInt64Array: 8,
  BigUint64Array: 8,
};
const REGEXP_FLAGS = /^(?!.*(.).*\1)[dgimsuvy]*$/;

/** Every record's references point at records of kinds that can stand there; the root is the roots object. */
function checkHeap(records: HeapRecord[], rootId: number, siteCount: number): void {
  if (records[rootId]?.kind !== K.Object)
    throw new CheckpointContentError(
      `checkpoint corrupted: the heap's root (object ${rootId}) is ${describe(records, rootId)}, not the roots object`,
    );
  const checks = new SlotChecks(records, siteCount);
  records.forEach((record, id) => {
    const problem = recordProblem(record, checks);
    if (problem)
      throw new CheckpointContentError(`checkpoint corrupted: object ${id} (${KIND_NAMES[record.kind]}): ${problem}`);
  });
  checkContextChains(records);
}

function describe(records: HeapRecord[], id: number): string {
  const record = records[id];
  return record ? `object ${id} (${KIND_NAMES[record.kind]})` : `object ${id}, which does not exist`;
}

/** What the checks of one record ask of the heap: the kinds its slots refer to, and how to say what they are. */
class SlotChecks {
  constructor(
    readonly records: HeapRecord[],
    readonly siteCount: number,
  ) {}

  kindOf(slot: Slot): K | undefined {
    return slot instanceof Ref ? this.records[slot.id].kind : undefined;
  }

  show(slot: Slot): string {
    if (slot instanceof Ref) return describe(this.records, slot.id);
    return typeof slot === 'string' ? JSON.stringify(slot).slice(0, 40) : String(slot);
  }

  isObjectRef(slot: Slot): boolean {
    return slot instanceof Ref && !NOT_OBJECTS.has(this.kindOf(slot)!);
  }

  isCallable(slot: Slot): boolean {
    return slot instanceof Ref && CALLABLE.has(this.kindOf(slot)!);
  }

  isOptionalContext(slot: Slot): boolean {
    return slot === null || slot === undefined || this.kindOf(slot) === K.Context;
  }

  /** Undefined when `ok`, else what is wrong: `what` is the slot. */
  expect(ok: boolean, what: string, slot: Slot): string | undefined {
    return ok ? undefined : `${what} is ${this.show(slot)}`;
  }

  /** The first bad entry of [event, listener] pairs. */
  listenersProblem(pairs: Slot[]): string | undefined {
    const bad = pairs.findIndex((slot, i) =>
      i % 2 === 0
        ? !(typeof slot === 'string' || this.kindOf(slot) === K.Symbol || this.kindOf(slot) === K.Builtin)
        : !this.isCallable(slot),
    );
    return bad >= 0 ? `listener entry ${bad} is ${this.show(pairs[bad])}` : undefined;
  }
}

/** What is wrong with one record, if anything: first what records of every kind share, then its kind's own. */
function recordProblem(record: HeapRecord, c: SlotChecks): string | undefined {
  if ('proto' in record && record.kind !== K.Server) {
    const problem = c.expect(record.proto === null || c.isObjectRef(record.proto), 'its prototype', record.proto);
    if (problem) return problem;
  }
  if ('integrity' in record && !(record.integrity >= 0 && record.integrity <= 3))
    return `its integrity level ${record.integrity} is unknown`;
  if ('props' in record) {
    const key = record.props.find(
      (p) => p.key instanceof Ref && c.kindOf(p.key) !== K.Symbol && c.kindOf(p.key) !== K.Builtin,
    )?.key;
    if (key) return `a property key is ${c.show(key)}, not a symbol`;
  }
  const check = KIND_CHECKS[record.kind] as ((record: HeapRecord, c: SlotChecks) => string | undefined) | undefined;
  return check?.(record, c);
}

type KindChecks = { [T in HeapRecord['kind']]?: (record: RecordOf<T>, c: SlotChecks) => string | undefined };

/** Each kind's own checks (kinds not listed have none beyond the common ones). */
const KIND_CHECKS: KindChecks = {
  [K.Function]: (record, c) =>
    !(record.site >= 0 && record.site < c.siteCount)
      ? `its source site ${record.site} is not among the ${c.siteCount} in the "functions" section`
      : c.expect(c.isOptionalContext(record.context), 'its closure context', record.context),
  [K.Context]: (record, c) => c.expect(c.isOptionalContext(record.parent), 'its parent context', record.parent),
  [K.Array]: (record) =>
    record.length > 0xffffffff ? `its length ${record.length} is not an array length` : undefined,
  [K.RegExp]: (record) => regExpProblem(record.source, record.flags),
  [K.WeakMap]: (record, c) => weakKeyProblem(record.entries, 2, c),
  [K.WeakSet]: (record, c) => weakKeyProblem(record.entries, 1, c),
  [K.TypedArray]: (record, c) => {
    const size = ELEMENT_SIZES[record.type];
    return (
      bufferProblem(record.buffer, c) ??
      (record.byteOffset % size !== 0
        ? `its offset ${record.byteOffset} is not a multiple of its element size ${size}`
        : viewProblem(record.buffer, record.byteOffset, record.length * size, `${record.length} elements`, c))
    );
  },
  [K.DataView]: (record, c) =>
    bufferProblem(record.buffer, c) ??
    viewProblem(record.buffer, record.byteOffset, record.byteLength, `${record.byteLength} bytes`, c),
  [K.Symbol]: (record) => (record.form <= 2 ? undefined : `its form ${record.form} is unknown`),
  [K.Boxed]: (record, c) => boxedProblem(record.type, record.value, c),
  [K.Promise]: (record) => (record.state <= 2 ? undefined : `its state ${record.state} is unknown`),
  [K.PromiseResolver]: (record, c) => c.expect(c.kindOf(record.promise) === K.Promise, 'its promise', record.promise),
  [K.PromiseCombinatorElement]: (record, c) =>
    record.combinator > 3
      ? `its combinator ${record.combinator} is unknown`
      : c.expect(c.kindOf(record.group) === K.Object, 'its group', record.group),
  [K.CoreStream]: (record, c) => c.expect(c.isCallable(record.streamClass), 'its stream class', record.streamClass),
  [K.Proxy]: (record, c) =>
    record.revoked
      ? (c.expect(record.target === null, 'the target of a revoked proxy', record.target) ??
        c.expect(record.handler === null, 'the handler of a revoked proxy', record.handler))
      : (c.expect(c.isObjectRef(record.target), 'its target', record.target) ??
        c.expect(c.isObjectRef(record.handler), 'its handler', record.handler)),
  [K.CollectionIterator]: (record, c) => iteratorProblem(record, c),
  [K.EventIterator]: (record, c) => eventIteratorProblem(record, c),
  [K.FileHandle]: (record, c) =>
    c.expect(Number.isInteger(record.fd) && (record.fd as number) >= -1, 'its file descriptor', record.fd),
  [K.ProxyRevoke]: (record, c) =>
    c.expect(record.proxy === null || c.kindOf(record.proxy) === K.Proxy, 'its proxy', record.proxy),
  [K.BoundFunction]: (record, c) => c.expect(c.isCallable(record.target), 'its target function', record.target),
  // A cleared timer the program still holds has let go of its callback.
  [K.Timer]: (record, c) =>
    c.expect(
      c.isCallable(record.callback) || (record.cleared && record.callback == null),
      'its callback',
      record.callback,
    ),
  [K.Immediate]: (record, c) => c.expect(c.isCallable(record.callback), 'its callback', record.callback),
  [K.Server]: (record, c) =>
    c.listenersProblem(record.listeners) ?? c.expect(c.isObjectRef(record.proto), 'its prototype', record.proto),
  [K.Socket]: (record, c) => socketProblem(record, c),
  [K.FileWriteStream]: (record, c) =>
    typeof record.path !== 'string' ? `its path is ${c.show(record.path)}` : c.listenersProblem(record.listeners),
  [K.Module]: (record, c) => c.expect(typeof record.filename === 'string', 'its filename', record.filename),
  [K.WasmInstance]: (record, c) =>
    c.expect(c.kindOf(record.module) === K.WasmModule, 'its module', record.module) ??
    record.globals
      .map(({ type, value }) =>
        Object.values(VALUE_TYPES).includes(type) && (typeof value === 'number' || typeof value === 'bigint')
          ? undefined
          : `a global's value ${c.show(value)} of type ${type}`,
      )
      .find(Boolean) ??
    record.state.map((slot) => c.expect(WASM_STATE.has(c.kindOf(slot)!), 'an export with state', slot)).find(Boolean),
  [K.WasmExports]: (record, c) => wasmInstanceProblem(record.instance, c),
  [K.WasmFunction]: (record, c) =>
    wasmInstanceProblem(record.instance, c) ??
    c.expect(Number.isInteger(record.index) && (record.index as number) >= -1, 'its index', record.index),
  [K.WasmMemory]: (record, c) =>
    wasmInstanceProblem(record.instance, c) ??
    (record.bytes.length % WASM_PAGE === 0 ? undefined : `its ${record.bytes.length} bytes are not whole pages`),
  [K.WasmTable]: (record, c) =>
    wasmInstanceProblem(record.instance, c) ??
    (record.changes.some(({ index }) => index >= record.length) ? 'an entry lies past its length' : undefined),
  [K.WasmGlobal]: (record, c) => wasmInstanceProblem(record.instance, c),
  [K.WasmMemoryBuffer]: (record, c) => c.expect(c.kindOf(record.memory) === K.WasmMemory, 'its memory', record.memory),
  [K.Require]: (record, c) => c.expect(c.kindOf(record.module) === K.Module, 'its module', record.module),
};

/** What a WebAssembly instance's export with state can be. */
const WASM_STATE = new Set<K>([K.WasmMemory, K.WasmTable, K.WasmGlobal]);

function wasmInstanceProblem(instance: Slot, c: SlotChecks): string | undefined {
  return c.expect(c.kindOf(instance) === K.WasmInstance, 'its instance', instance);
}

/** Keys of a WeakMap or WeakSet: objects, and symbols that are not registered (V8 checks those when the entry is added). */
function weakKeyProblem(entries: Slot[], step: number, c: SlotChecks): string | undefined {
  const key = entries.find((slot, i) => i % step === 0 && !(slot instanceof Ref && c.kindOf(slot) !== K.Context));
  return key === undefined ? undefined : `a key is ${c.show(key)}, not an object`;
}

function bufferProblem(buffer: Slot, c: SlotChecks): string | undefined {
  return BUFFERS.has(c.kindOf(buffer)!) ? undefined : `its buffer is ${c.show(buffer)}`;
}

/** A view of `length` bytes from `byteOffset` (its buffer checked to be one) lies inside its buffer. */
function viewProblem(
  buffer: Slot,
  byteOffset: number,
  length: number,
  what: string,
  c: SlotChecks,
): string | undefined {
  const record = c.records[(buffer as Ref).id];
  const owner = record.kind === K.WasmMemoryBuffer ? c.records[(record.memory as Ref).id] : record;
  const bytes = (owner as { bytes: Uint8Array }).bytes.length;
  return byteOffset + length > bytes
    ? `its ${what} from byte ${byteOffset} run past its buffer's ${bytes} bytes`
    : undefined;
}

function iteratorProblem(record: RecordOf<K.CollectionIterator>, c: SlotChecks): string | undefined {
  const done = (record.flags & IteratorFlag.Done) !== 0;
  const over = record.flags & IteratorFlag.OfSet ? K.Set : K.Map;
  if (record.flags > 15 || (record.flags & 3) === 3) return `its flags ${record.flags} are unknown`;
  return c.expect(
    done ? record.collection === null : c.kindOf(record.collection) === over,
    `the ${over === K.Set ? 'Set' : 'Map'} it iterates`,
    record.collection,
  );
}

function socketProblem(record: RecordOf<K.Socket>, c: SlotChecks): string | undefined {
  const problem =
    c.listenersProblem(record.listeners) ??
    c.expect(record.server === null || c.kindOf(record.server) === K.Server, 'its server', record.server) ??
    c.expect(record.encoding === null || typeof record.encoding === 'string', 'its encoding', record.encoding) ??
    c.expect(
      record.unread === null || typeof record.unread === 'string' || c.kindOf(record.unread) === K.TypedArray,
      'what it read',
      record.unread,
    );
  if (problem) return problem;
  return Number.isFinite(record.timeout) && record.timeout >= 0
    ? undefined
    : `its timeout ${record.timeout} is not one`;
}

function eventIteratorProblem(record: RecordOf<K.EventIterator>, c: SlotChecks): string | undefined {
  const isName = (slot: Slot) =>
    typeof slot === 'string' || c.kindOf(slot) === K.Symbol || c.kindOf(slot) === K.Builtin;
  const badName = [record.event, ...record.closeEvents].find((slot) => slot !== undefined && !isName(slot));
  if (badName !== undefined) return `an event it listens to is ${c.show(badName)}`;
  if (record.flags > 3) return `its flags ${record.flags} are unknown`;
  // readline's iterators keep each event's first argument, others the array of its arguments.
  const badEvent = record.buffered.find(
    (slot) => !(record.flags & EventIteratorFlag.Readline) && c.kindOf(slot) !== K.Array,
  );
  if (badEvent !== undefined) return `an unread event is ${c.show(badEvent)}, not its arguments`;
  const badRequest = record.pending.find((slot) => c.kindOf(slot) !== K.Promise);
  if (badRequest !== undefined) return `a waiting next() call is ${c.show(badRequest)}, not a promise`;
  if (!(record.lowWatermark >= 1 && record.highWatermark >= 1)) return 'its watermarks are not counts';
  return c.expect(c.isObjectRef(record.emitter), 'its emitter', record.emitter);
}

function regExpProblem(source: string, flags: string): string | undefined {
  if (!REGEXP_FLAGS.test(flags)) return `its flags ${JSON.stringify(flags)} are not RegExp flags`;
  try {
    new RegExp(source, flags); // compiling runs nothing
    return undefined;
  } catch {
    return `its pattern /${source.slice(0, 40)}/${flags} does not compile`;
  }
}

function boxedProblem(type: string, value: Slot, c: SlotChecks): string | undefined {
  const kind = c.kindOf(value);
  const fits: Record<(typeof BOXED_KINDS)[number], boolean> = {
    Number: typeof value === 'number',
    String: typeof value === 'string',
    Boolean: typeof value === 'boolean',
    BigInt: typeof value === 'bigint',
    Symbol: kind === K.Symbol || kind === K.Builtin,
  };
  return fits[type as (typeof BOXED_KINDS)[number]] ? undefined : `a boxed ${type} holds ${c.show(value)}`;
}

/** A context's parents end at the top level: a cycle would have no outermost scope to make first. */
function checkContextChains(records: HeapRecord[]): void {
  const settled = new Set<number>();
  records.forEach((_, id) => {
    const chain = new Set<number>();
    for (let at: number | undefined = id; at !== undefined && !settled.has(at);) {
      const context: HeapRecord = records[at];
      if (context.kind !== K.Context) break;
      if (chain.has(at))
        throw new CheckpointContentError(`checkpoint corrupted: closure context ${at} is its own ancestor`);
      chain.add(at);
      at = context.parent instanceof Ref ? context.parent.id : undefined;
    }
    for (const at of chain) settled.add(at);
  });
}

/** A frame's values, context and generator are records of the kinds it needs. */
function checkFramePlacement(frame: StoredFrame, k: number, records: HeapRecord[]): void {
  const wrong = (what: string, id: number) =>
    new CheckpointContentError(`checkpoint corrupted: frame ${k}'s ${what} is ${describe(records, id)}`);
  if (records[frame.data]?.kind !== K.Object) throw wrong('values', frame.data);
  if (frame.context !== null && records[frame.context]?.kind !== K.Context) throw wrong('context', frame.context);
  if (frame.generator !== undefined && records[frame.generator]?.kind !== K.Generator)
    throw wrong('generator', frame.generator);
}
