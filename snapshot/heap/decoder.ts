// Decodes heap records (snapshot/heap/tags.ts) into plain descriptors, checking every bound:
// a damaged heap section gives a HeapFormatError, never a crash or a runaway allocation.
import {
  A,
  ASYNC_GENERATOR,
  BOXED_KINDS,
  type Combinator,
  ImmediateFlag,
  K,
  ProxyFlag,
  SocketFlag,
  TimerFlag,
  TYPED_ARRAY_NAMES,
  V,
} from './tags';
import { ByteReader, HeapFormatError, decodeStrings } from './reader';

/** A reference to object `id`; every other slot value is the primitive itself. */
export class Ref {
  constructor(readonly id: number) {}
}

export type Slot = unknown;

export interface Property {
  key: string | Ref;
  flags: number;
  value?: Slot;
  get?: Slot;
  set?: Slot;
}

/** A private field (#x) of an object, by name (only objects and classes have them: K.Privates). */
export interface PrivateField {
  name: string;
  value: Slot;
}

export interface Common {
  proto: Slot;
  integrity: number;
  props: Property[];
  /** Present when the object was made by a class declaring private members (possibly empty). */
  privates?: PrivateField[];
}

/** A connection's own fields (capture/agent/sockets.ts); its descriptor is in the connections record. */
export interface SocketFields {
  refed: boolean;
  paused: boolean;
  allowHalfOpen: boolean;
  /** Its server's own connection handling was attached (an HTTP server's parser). */
  serverParser: boolean;
  /** The server that accepted it; null for one the program opened. */
  server: Slot;
  timeout: number;
  encoding: Slot;
  /** Read, not yet consumed by the program: a Buffer, or its decoder's text. */
  unread: Slot;
  listeners: Slot[];
}

/** An import of a WebAssembly instance: the import's module and field names, and the value given for it. */
export interface WasmImportSlot {
  module: string;
  name: string;
  value: Slot;
}

/** A global an instance does not export: its index, its type's byte, its value. */
export interface WasmGlobalSlot {
  index: number;
  type: number;
  value: Slot;
}

/** 0: finished; 1: suspended at a yield (primed on restore); 2: running on the paused stack. */
export type GeneratorState = 0 | 1 | 2;

export type HeapRecord =
  | ({ kind: K.Object } & Common)
  | ({ kind: K.Array; length: number; elements: Slot[] | null } & Common)
  | ({ kind: K.Function; site: number; context: Slot } & Common)
  | { kind: K.Builtin; path: string }
  | { kind: K.NodeFactory; path: string; args: Slot[] }
  | ({ kind: K.Date; time: number } & Common)
  | ({ kind: K.RegExp; source: string; flags: string } & Common)
  | ({ kind: K.Error } & Common)
  | ({ kind: K.Map; entries: Slot[] } & Common)
  | ({ kind: K.Set; entries: Slot[] } & Common)
  | ({ kind: K.WeakMap; entries: Slot[] } & Common)
  | ({ kind: K.WeakSet; entries: Slot[] } & Common)
  | ({ kind: K.ArrayBuffer | K.SharedArrayBuffer; bytes: Uint8Array } & Common)
  | ({ kind: K.TypedArray; type: string; buffer: Slot; byteOffset: number; length: number } & Common)
  | ({ kind: K.DataView; buffer: Slot; byteOffset: number; byteLength: number } & Common)
  | { kind: K.Symbol; form: number; text: string }
  | ({ kind: K.Boxed; type: string; value: Slot } & Common)
  | ({
      kind: K.Promise;
      state: number;
      result: Slot;
      reactions: Array<{ onFulfilled: Slot; onRejected: Slot; derived: Slot }>;
    } & Common)
  | { kind: K.PromiseResolver; promise: Slot; reject: boolean }
  | { kind: K.PromiseCombinatorElement; combinator: Combinator; index: number; group: Slot }
  | ({ kind: K.CoreStream; streamClass: Slot } & Common)
  | ({ kind: K.Generator; state: GeneratorState; async: boolean; receiver: Slot } & Common)
  | {
      kind: K.FileWriteStream;
      path: Slot;
      flags: Slot;
      mode: Slot;
      fd: number;
      pos: Slot;
      bytesWritten: number;
      autoClose: boolean;
      listeners: Slot[];
    }
  | { kind: K.Proxy; target: Slot; handler: Slot; revoked: boolean; callable: boolean }
  | { kind: K.ProxyRevoke; proxy: Slot }
  | ({ kind: K.CollectionIterator; flags: number; collection: Slot; steps: number } & Common)
  | { kind: K.FileHandle; fd: Slot; props: Property[] }
  | {
      kind: K.EventIterator;
      emitter: Slot;
      event: Slot;
      flags: number;
      lowWatermark: number;
      highWatermark: number;
      error: Slot;
      closeEvents: Slot[];
      buffered: Slot[];
      pending: Slot[];
    }
  | { kind: K.WasmModule; bytes: Uint8Array }
  /** globals: the first values of globals it does not export, set in the module it is made from (heap/wasm-binary.ts). */
  | { kind: K.WasmInstance; module: Slot; imports: WasmImportSlot[]; state: Slot[]; globals: WasmGlobalSlot[] }
  | { kind: K.WasmExports; instance: Slot }
  /** An export (index -1), or the function at `index` of its instance's exported table `name`. */
  | { kind: K.WasmFunction; instance: Slot; name: string; index: Slot }
  | { kind: K.WasmMemoryBuffer; memory: Slot }
  | { kind: K.WasmMemory; instance: Slot; name: string; bytes: Uint8Array }
  /** Its length, and its entries that differ from a new instance's (index, value). */
  | { kind: K.WasmTable; instance: Slot; name: string; length: number; changes: Array<{ index: number; value: Slot }> }
  | { kind: K.WasmGlobal; instance: Slot; name: string; value: Slot }
  | ({ kind: K.BoundFunction; target: Slot; boundThis: Slot; args: Slot[] } & Common)
  | { kind: K.Context; description: string; parent: Slot; names: string[]; values: Slot[] }
  | {
      kind: K.Timer;
      callback: Slot;
      args: Slot[];
      remaining: number;
      duration: number;
      repeat: number;
      refed: boolean;
      cleared: boolean;
      running: boolean;
    }
  | { kind: K.Immediate; callback: Slot; args: Slot[]; refed: boolean; running: boolean }
  | { kind: K.Server; proto: Slot; address: Slot; port: Slot; listeners: Slot[]; settings: Slot[] }
  | ({ kind: K.Socket } & SocketFields & Common)
  | ({ kind: K.Module; filename: Slot } & Omit<Common, 'proto' | 'integrity'>)
  | { kind: K.Require; module: Slot };

type ToText = (bytes: Uint8Array, encoding: 'latin1' | 'utf16le') => string;

/** The record of kind T (ArrayBuffer and SharedArrayBuffer share one). */
export type RecordOf<T extends HeapRecord['kind']> = WithKind<HeapRecord, T>;
type WithKind<R, T> = R extends { kind: infer Kinds } ? (T extends Kinds ? R : never) : never;

interface HeapLayout {
  count: number;
  recordsLength: number;
  functionsLength: number;
}

/** The header of a heap section (tags.ts), checked against the section's length. */
function heapLayout(section: Uint8Array): HeapLayout {
  if (section.length < HEADER) throw new HeapFormatError('heap section truncated');
  const view = new DataView(section.buffer, section.byteOffset, section.byteLength);
  const count = view.getUint32(0, true);
  const recordsLength = view.getUint32(4, true);
  const functionsLength = view.getUint32(8, true);
  if (HEADER + recordsLength + functionsLength > section.length) throw new HeapFormatError('heap section truncated');
  // Every record takes at least one byte: a count larger than that is a lie, not an allocation.
  if (count > recordsLength)
    throw new HeapFormatError(`heap section corrupted: ${count} records in ${recordsLength} bytes`);
  return { count, recordsLength, functionsLength };
}

/** The string table of a heap section (every value, key and name in it), found without decoding its records. */
export function heapStringTable(section: Uint8Array): Uint8Array {
  const { recordsLength, functionsLength } = heapLayout(section);
  return section.subarray(HEADER + recordsLength + functionsLength);
}

/**
 * Reads the fields records are made of from one part of a heap section (the records, or the
 * function table), each checked against the section's bounds.
 */
class FieldReader {
  /** For each function table entry, the id of its function's record (filled as the records are read). */
  readonly functions: number[] = [];
  /** The id of the record being read. */
  id = 0;

  constructor(
    readonly r: ByteReader,
    private readonly strings: string[],
    readonly layout: HeapLayout,
  ) {}

  string(): string {
    const index = this.r.uint();
    if (index >= this.strings.length) throw new HeapFormatError('heap section corrupted: string index out of range');
    return this.strings[index];
  }

  slot(): Slot {
    const tag = this.r.byte();
    switch (tag) {
      case V.Undefined:
        return undefined;
      case V.Null:
        return null;
      case V.False:
        return false;
      case V.True:
        return true;
      case V.Int: {
        const z = this.r.uint();
        return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      }
      case V.Double:
        return this.r.double();
      case V.String:
        return this.string();
      case V.Ref:
        return this.ref();
      case V.Hole:
        return HOLE;
      case V.BigInt:
        return this.bigint();
      default:
        throw new HeapFormatError(`heap section corrupted: unknown value tag ${tag}`);
    }
  }

  private ref(): Ref {
    const id = this.r.uint();
    if (id >= this.layout.count) throw new HeapFormatError('heap section corrupted: reference to a missing object');
    return new Ref(id);
  }

  private bigint(): bigint {
    const text = this.string();
    if (!/^-?\d+$/.test(text)) throw new HeapFormatError('heap section corrupted: malformed BigInt');
    return BigInt(text);
  }

  /** `n` items of at least `perItem` bytes each, refused when the section could not hold them (not an allocation). */
  bounded(n: number, what: string, perItem = 1): number {
    if (n * perItem > this.layout.recordsLength) throw new HeapFormatError(`heap section corrupted: ${what}`);
    return n;
  }

  list(perItem = 1): Slot[] {
    const out = new Array<Slot>(this.bounded(this.r.uint(), 'list longer than the section', perItem) * perItem);
    for (let i = 0; i < out.length; i++) out[i] = this.slot();
    return out;
  }

  props(): Property[] {
    const out = new Array<Property>(this.bounded(this.r.uint(), 'property count larger than the section'));
    for (let i = 0; i < out.length; i++) {
      const key = this.slot();
      if (typeof key !== 'string' && !(key instanceof Ref))
        throw new HeapFormatError('heap section corrupted: bad property key');
      const flags = this.r.byte();
      out[i] =
        flags & A.Accessor ? { key, flags, get: this.slot(), set: this.slot() } : { key, flags, value: this.slot() };
    }
    return out;
  }

  common(): Common {
    return { proto: this.slot(), integrity: this.r.byte(), props: this.props() };
  }
}

type KindReaders = { [T in HeapRecord['kind']]: (f: FieldReader, kind: T) => RecordOf<T> };

/** One reader per record kind: its fields, in the order the walker writes them (tags.ts). */
const READERS: KindReaders = {
  [K.Object]: (f, kind) => ({ kind, ...f.common() }),
  [K.Array]: (f, kind) => {
    const length = f.r.uint();
    const dense = f.r.byte() === 1;
    const elements = dense ? new Array<Slot>(f.bounded(length, 'array longer than the section')) : null;
    for (let i = 0; elements && i < length; i++) elements[i] = f.slot();
    return { kind, length, elements, ...f.common() };
  },
  [K.Function]: (f, kind) => {
    const entry = f.r.uint();
    if (entry >= f.layout.count) throw new HeapFormatError('heap section corrupted: function entry out of range');
    f.functions[entry] = f.id;
    return { kind, site: -1, context: null, ...f.common() }; // site and context: from the function table
  },
  [K.Builtin]: (f, kind) => ({ kind, path: f.string() }),
  [K.NodeFactory]: (f, kind) => ({ kind, path: f.string(), args: f.list() }),
  [K.Date]: (f, kind) => ({ kind, time: f.r.double(), ...f.common() }),
  [K.RegExp]: (f, kind) => ({ kind, source: f.string(), flags: f.string(), ...f.common() }),
  [K.Error]: (f, kind) => ({ kind, ...f.common() }),
  [K.Map]: (f, kind) => ({ kind, entries: f.list(2), ...f.common() }),
  [K.Set]: (f, kind) => ({ kind, entries: f.list(), ...f.common() }),
  [K.WeakMap]: (f, kind) => ({ kind, entries: f.list(2), ...f.common() }),
  [K.WeakSet]: (f, kind) => ({ kind, entries: f.list(), ...f.common() }),
  [K.ArrayBuffer]: (f, kind) => ({ kind, bytes: f.r.slice(f.r.uint()), ...f.common() }),
  [K.SharedArrayBuffer]: (f, kind) => ({ kind, bytes: f.r.slice(f.r.uint()), ...f.common() }),
  [K.TypedArray]: (f, kind) => {
    const type = TYPED_ARRAY_NAMES[f.r.byte()];
    if (!type) throw new HeapFormatError('heap section corrupted: unknown typed array');
    return { kind, type, buffer: f.slot(), byteOffset: f.r.uint(), length: f.r.uint(), ...f.common() };
  },
  [K.DataView]: (f, kind) => ({
    kind,
    buffer: f.slot(),
    byteOffset: f.r.uint(),
    byteLength: f.r.uint(),
    ...f.common(),
  }),
  [K.Symbol]: (f, kind) => ({ kind, form: f.r.byte(), text: f.string() }),
  [K.Boxed]: (f, kind) => {
    const type = BOXED_KINDS[f.r.byte()];
    if (!type) throw new HeapFormatError('heap section corrupted: unknown boxed primitive');
    return { kind, type, value: f.slot(), ...f.common() };
  },
  [K.Promise]: (f, kind) => {
    const state = f.r.byte();
    const result = f.slot();
    // A pending promise lists the `then` reactions it will run (state 0 = pending).
    const triples = state === 0 ? f.list(3) : [];
    const reactions = [];
    for (let i = 0; i < triples.length; i += 3)
      reactions.push({ onFulfilled: triples[i], onRejected: triples[i + 1], derived: triples[i + 2] });
    return { kind, state, result, reactions, ...f.common() };
  },
  [K.PromiseResolver]: (f, kind) => ({ kind, promise: f.slot(), reject: f.r.byte() === 1 }),
  [K.PromiseCombinatorElement]: (f, kind) => ({ kind, combinator: f.r.byte(), index: f.r.uint(), group: f.slot() }),
  [K.CoreStream]: (f, kind) => ({ kind, streamClass: f.slot(), ...f.common() }),
  [K.Socket]: (f, kind) => {
    const flags = f.r.byte();
    return {
      kind,
      refed: (flags & SocketFlag.Refed) !== 0,
      paused: (flags & SocketFlag.Paused) !== 0,
      allowHalfOpen: (flags & SocketFlag.AllowHalfOpen) !== 0,
      serverParser: (flags & SocketFlag.ServerParser) !== 0,
      server: f.slot(),
      timeout: f.r.double(),
      encoding: f.slot(),
      unread: f.slot(),
      listeners: f.list(2),
      ...f.common(),
    };
  },
  [K.FileWriteStream]: (f, kind) => ({
    kind,
    path: f.slot(),
    flags: f.slot(),
    mode: f.slot(),
    fd: f.r.uint(),
    pos: f.slot(),
    bytesWritten: f.r.double(),
    autoClose: f.r.byte() === 1,
    listeners: f.list(2),
  }),
  [K.Generator]: (f, kind) => {
    const byte = f.r.byte();
    const state = byte & ~ASYNC_GENERATOR;
    if (state > 2) throw new HeapFormatError('heap section corrupted: unknown generator state');
    const async = (byte & ASYNC_GENERATOR) !== 0;
    return { kind, state: state as GeneratorState, async, receiver: f.slot(), ...f.common() };
  },
  [K.Proxy]: (f, kind) => {
    const [target, handler, flags] = [f.slot(), f.slot(), f.r.byte()];
    const revoked = (flags & ProxyFlag.Revoked) !== 0;
    return { kind, target, handler, revoked, callable: (flags & ProxyFlag.Callable) !== 0 };
  },
  [K.ProxyRevoke]: (f, kind) => ({ kind, proxy: f.slot() }),
  [K.CollectionIterator]: (f, kind) => ({
    kind,
    flags: f.r.byte(),
    collection: f.slot(),
    steps: f.r.uint(),
    ...f.common(),
  }),
  [K.FileHandle]: (f, kind) => ({ kind, fd: f.slot(), props: f.props() }),
  [K.EventIterator]: (f, kind) => ({
    kind,
    emitter: f.slot(),
    event: f.slot(),
    flags: f.r.byte(),
    lowWatermark: f.r.double(),
    highWatermark: f.r.double(),
    error: f.slot(),
    closeEvents: f.list(),
    buffered: f.list(),
    pending: f.list(),
  }),
  [K.WasmModule]: (f, kind) => ({ kind, bytes: f.r.slice(f.r.uint()) }),
  [K.WasmInstance]: (f, kind) => {
    const module = f.slot();
    const imports = new Array<WasmImportSlot>(f.bounded(f.r.uint(), 'imports longer than the section', 3));
    for (let i = 0; i < imports.length; i++) imports[i] = { module: f.string(), name: f.string(), value: f.slot() };
    const state = f.list();
    const globals = new Array<WasmGlobalSlot>(f.bounded(f.r.uint(), 'globals longer than the section', 3));
    for (let i = 0; i < globals.length; i++) globals[i] = { index: f.r.uint(), type: f.r.byte(), value: f.slot() };
    return { kind, module, imports, state, globals };
  },
  [K.WasmExports]: (f, kind) => ({ kind, instance: f.slot() }),
  [K.WasmFunction]: (f, kind) => ({ kind, instance: f.slot(), name: f.string(), index: f.slot() }),
  [K.WasmMemoryBuffer]: (f, kind) => ({ kind, memory: f.slot() }),
  [K.WasmMemory]: (f, kind) => ({ kind, instance: f.slot(), name: f.string(), bytes: f.r.slice(f.r.uint()) }),
  [K.WasmTable]: (f, kind) => {
    const [instance, name, length] = [f.slot(), f.string(), f.r.uint()];
    const changes = new Array<{ index: number; value: Slot }>(
      f.bounded(f.r.uint(), 'table longer than the section', 2),
    );
    for (let i = 0; i < changes.length; i++) changes[i] = { index: f.r.uint(), value: f.slot() };
    return { kind, instance, name, length, changes };
  },
  [K.WasmGlobal]: (f, kind) => ({ kind, instance: f.slot(), name: f.string(), value: f.slot() }),
  [K.BoundFunction]: (f, kind) => ({ kind, target: f.slot(), boundThis: f.slot(), args: f.list(), ...f.common() }),
  [K.Context]: (f, kind) => {
    const description = f.string();
    const parent = f.slot();
    const n = f.bounded(f.r.uint(), 'context larger than the section');
    const names: string[] = [];
    const values: Slot[] = [];
    for (let i = 0; i < n; i++) {
      names.push(f.string());
      values.push(f.slot());
    }
    return { kind, description, parent, names, values };
  },
  [K.Timer]: (f, kind) => {
    const [callback, args, remaining, duration, repeat, flags] = [
      f.slot(),
      f.list(),
      f.r.double(),
      f.r.double(),
      f.r.double(),
      f.r.byte(),
    ];
    const [refed, cleared] = [(flags & TimerFlag.Refed) !== 0, (flags & TimerFlag.Cleared) !== 0];
    return {
      kind,
      callback,
      args,
      remaining,
      duration,
      repeat,
      refed,
      cleared,
      running: (flags & TimerFlag.Running) !== 0,
    };
  },
  [K.Immediate]: (f, kind) => {
    const [callback, args, flags] = [f.slot(), f.list(), f.r.byte()];
    const [refed, running] = [(flags & ImmediateFlag.Refed) !== 0, (flags & ImmediateFlag.Running) !== 0];
    return { kind, callback, args, refed, running };
  },
  [K.Server]: (f, kind) => ({
    kind,
    proto: f.slot(),
    address: f.slot(),
    port: f.slot(),
    listeners: f.list(2),
    settings: f.list(2),
  }),
  [K.Module]: (f, kind) => ({ kind, filename: f.slot(), props: f.props() }),
  [K.Require]: (f, kind) => ({ kind, module: f.slot() }),
};

/** Kinds a class with private members can make (a Map or Set subclass: QuickLRU), or be (static ones). */
const KINDS_WITH_PRIVATES = new Set<number>([K.Object, K.Function, K.Map, K.Set]);

/** One record: its private fields' prefix (K.Privates) if it has one, its kind, then its kind's fields. */
function readRecord(f: FieldReader): HeapRecord {
  let kind = f.r.byte();
  let privates: PrivateField[] | undefined;
  if (kind === K.Privates) {
    privates = [];
    for (let n = f.r.uint(); n > 0; n--) privates.push({ name: f.string(), value: f.slot() });
    kind = f.r.byte();
    if (!KINDS_WITH_PRIVATES.has(kind))
      throw new HeapFormatError(`heap section corrupted: private fields on a record of kind ${kind} (object ${f.id})`);
  }
  const read = READERS[kind as HeapRecord['kind']] as ((f: FieldReader, kind: K) => HeapRecord) | undefined;
  if (!read) throw new HeapFormatError(`heap section corrupted: unknown record kind ${kind} (object ${f.id})`);
  const record = read(f, kind);
  if (privates) (record as Common).privates = privates;
  return record;
}

/** `mapString` rewrites each string of the heap as it is read (restore/paths.ts: the program run in another directory). */
export function decodeHeap(section: Uint8Array, toText: ToText, mapString?: (value: string) => string): HeapRecord[] {
  const layout = heapLayout(section);
  const { count, recordsLength, functionsLength } = layout;
  const decoded = decodeStrings(heapStringTable(section), toText);
  const strings = mapString ? decoded.map(mapString) : decoded;
  const f = new FieldReader(new ByteReader(section.subarray(HEADER, HEADER + recordsLength)), strings, layout);
  const records = new Array<HeapRecord>(count);
  for (; f.id < count; f.id++) records[f.id] = readRecord(f);
  if (!f.r.done) throw new HeapFormatError('heap section corrupted: bytes left after the last record');
  const table = section.subarray(HEADER + recordsLength, HEADER + recordsLength + functionsLength);
  readFunctionTable(new FieldReader(new ByteReader(table), strings, layout), records, f.functions);
  return records;
}

/** The function table: each user function's source site and closure context, in entry order. */
function readFunctionTable(f: FieldReader, records: HeapRecord[], functions: number[]): void {
  for (let entry = 0; entry < functions.length; entry++) {
    const record = records[functions[entry]] as RecordOf<K.Function> | undefined;
    if (!record) throw new HeapFormatError('heap section corrupted: missing function entry');
    record.site = f.r.uint();
    record.context = f.slot();
  }
  if (!f.r.done) throw new HeapFormatError('heap section corrupted: bytes left after the function table');
}

const HEADER = 12;

export const HOLE = Symbol('hole');
