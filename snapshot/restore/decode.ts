// Decodes heap records (snapshot/heap/tags.ts) into plain descriptors, checking every bound:
// a damaged heap section gives a HeapFormatError, never a crash or a runaway allocation.
import {
  A,
  ASYNC_GENERATOR,
  BOXED_KINDS,
  type Combinator,
  K,
  ProxyFlag,
  TimerFlag,
  ImmediateFlag,
  TYPED_ARRAY_NAMES,
  V,
} from '../heap/tags';
import { ByteReader, HeapFormatError, decodeStrings } from '../heap/reader';

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
  | ({ kind: K.Module; filename: Slot } & Omit<Common, 'proto' | 'integrity'>)
  | { kind: K.Require; module: Slot };

type ToText = (bytes: Uint8Array, encoding: 'latin1' | 'utf16le') => string;

/** The header of a heap section (tags.ts), checked against the section's length. */
function heapLayout(section: Uint8Array): { count: number; recordsLength: number; functionsLength: number } {
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

export function decodeHeap(section: Uint8Array, toText: ToText): HeapRecord[] {
  const { count, recordsLength, functionsLength } = heapLayout(section);
  const strings = decodeStrings(heapStringTable(section), toText);
  let r = new ByteReader(section.subarray(HEADER, HEADER + recordsLength));

  const string = (): string => {
    const index = r.uint();
    if (index >= strings.length) throw new HeapFormatError('heap section corrupted: string index out of range');
    return strings[index];
  };
  const slot = (): Slot => {
    const tag = r.byte();
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
        const z = r.uint();
        return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      }
      case V.Double:
        return r.double();
      case V.String:
        return string();
      case V.Ref: {
        const id = r.uint();
        if (id >= count) throw new HeapFormatError('heap section corrupted: reference to a missing object');
        return new Ref(id);
      }
      case V.Hole:
        return HOLE;
      case V.BigInt: {
        const text = string();
        if (!/^-?\d+$/.test(text)) throw new HeapFormatError('heap section corrupted: malformed BigInt');
        return BigInt(text);
      }
      default:
        throw new HeapFormatError(`heap section corrupted: unknown value tag ${tag}`);
    }
  };
  const list = (read: () => Slot, perItem = 1): Slot[] => {
    const n = r.uint();
    if (n * perItem > recordsLength) throw new HeapFormatError('heap section corrupted: list longer than the section');
    const out = new Array<Slot>(n * perItem);
    for (let i = 0; i < out.length; i++) out[i] = read();
    return out;
  };
  const props = (): Property[] => {
    const n = r.uint();
    if (n > recordsLength) throw new HeapFormatError('heap section corrupted: property count larger than the section');
    const out = new Array<Property>(n);
    for (let i = 0; i < n; i++) {
      const key = slot();
      if (typeof key !== 'string' && !(key instanceof Ref))
        throw new HeapFormatError('heap section corrupted: bad property key');
      const flags = r.byte();
      out[i] = flags & A.Accessor ? { key, flags, get: slot(), set: slot() } : { key, flags, value: slot() };
    }
    return out;
  };
  const common = (): Common => ({ proto: slot(), integrity: r.byte(), props: props() });

  const records = new Array<HeapRecord>(count);
  const functions: number[] = [];
  for (let id = 0; id < count; id++) {
    let kind = r.byte() as K;
    let privates: PrivateField[] | undefined;
    if (kind === K.Privates) {
      privates = [];
      for (let n = r.uint(); n > 0; n--) privates.push({ name: string(), value: slot() });
      kind = r.byte() as K;
      if (kind !== K.Object && kind !== K.Function)
        throw new HeapFormatError(`heap section corrupted: private fields on a record of kind ${kind} (object ${id})`);
    }
    switch (kind) {
      case K.Object:
        records[id] = { kind, ...common() };
        break;
      case K.Array: {
        const length = r.uint();
        const dense = r.byte() === 1;
        if (dense && length > recordsLength)
          throw new HeapFormatError('heap section corrupted: array longer than the section');
        let elements: Slot[] | null = null;
        if (dense) {
          elements = new Array<Slot>(length);
          for (let i = 0; i < length; i++) elements[i] = slot();
        }
        records[id] = { kind, length, elements, ...common() };
        break;
      }
      case K.Function: {
        const entry = r.uint();
        if (entry >= count) throw new HeapFormatError('heap section corrupted: function entry out of range');
        functions[entry] = id;
        records[id] = { kind, site: -1, context: null, ...common() };
        break;
      }
      case K.Builtin:
        records[id] = { kind, path: string() };
        break;
      case K.NodeFactory:
        records[id] = { kind, path: string(), args: list(slot) };
        break;
      case K.Date:
        records[id] = { kind, time: r.double(), ...common() };
        break;
      case K.RegExp:
        records[id] = { kind, source: string(), flags: string(), ...common() };
        break;
      case K.Error:
        records[id] = { kind, ...common() };
        break;
      case K.Map:
        records[id] = { kind, entries: list(slot, 2), ...common() };
        break;
      case K.Set:
        records[id] = { kind, entries: list(slot), ...common() };
        break;
      case K.WeakMap:
        records[id] = { kind, entries: list(slot, 2), ...common() };
        break;
      case K.WeakSet:
        records[id] = { kind, entries: list(slot), ...common() };
        break;
      case K.ArrayBuffer:
      case K.SharedArrayBuffer:
        records[id] = { kind, bytes: r.slice(r.uint()), ...common() };
        break;
      case K.TypedArray: {
        const type = TYPED_ARRAY_NAMES[r.byte()];
        if (!type) throw new HeapFormatError('heap section corrupted: unknown typed array');
        records[id] = { kind, type, buffer: slot(), byteOffset: r.uint(), length: r.uint(), ...common() };
        break;
      }
      case K.DataView:
        records[id] = { kind, buffer: slot(), byteOffset: r.uint(), byteLength: r.uint(), ...common() };
        break;
      case K.Symbol:
        records[id] = { kind, form: r.byte(), text: string() };
        break;
      case K.Boxed: {
        const type = BOXED_KINDS[r.byte()];
        if (!type) throw new HeapFormatError('heap section corrupted: unknown boxed primitive');
        records[id] = { kind, type, value: slot(), ...common() };
        break;
      }
      case K.Promise: {
        const state = r.byte();
        const result = slot();
        // A pending promise lists the `then` reactions it will run (state 0 = pending).
        const triples = state === 0 ? list(slot, 3) : [];
        const reactions = [];
        for (let i = 0; i < triples.length; i += 3)
          reactions.push({ onFulfilled: triples[i], onRejected: triples[i + 1], derived: triples[i + 2] });
        records[id] = { kind, state, result, reactions, ...common() };
        break;
      }
      case K.PromiseResolver:
        records[id] = { kind, promise: slot(), reject: r.byte() === 1 };
        break;
      case K.PromiseCombinatorElement:
        records[id] = { kind, combinator: r.byte(), index: r.uint(), group: slot() };
        break;
      case K.CoreStream:
        records[id] = { kind, streamClass: slot(), ...common() };
        break;
      case K.FileWriteStream:
        records[id] = {
          kind,
          path: slot(),
          flags: slot(),
          mode: slot(),
          fd: r.uint(),
          pos: slot(),
          bytesWritten: r.double(),
          autoClose: r.byte() === 1,
          listeners: list(slot, 2),
        };
        break;
      case K.Generator: {
        const byte = r.byte();
        const state = byte & ~ASYNC_GENERATOR;
        if (state > 2) throw new HeapFormatError('heap section corrupted: unknown generator state');
        records[id] = {
          kind,
          state: state as GeneratorState,
          async: (byte & ASYNC_GENERATOR) !== 0,
          receiver: slot(),
          ...common(),
        };
        break;
      }
      case K.Proxy: {
        const [target, handler, flags] = [slot(), slot(), r.byte()];
        records[id] = {
          kind,
          target,
          handler,
          revoked: (flags & ProxyFlag.Revoked) !== 0,
          callable: (flags & ProxyFlag.Callable) !== 0,
        };
        break;
      }
      case K.ProxyRevoke:
        records[id] = { kind, proxy: slot() };
        break;
      case K.CollectionIterator:
        records[id] = { kind, flags: r.byte(), collection: slot(), steps: r.uint(), ...common() };
        break;
      case K.BoundFunction:
        records[id] = { kind, target: slot(), boundThis: slot(), args: list(slot), ...common() };
        break;
      case K.Context: {
        const description = string();
        const parent = slot();
        const n = r.uint();
        if (n > recordsLength) throw new HeapFormatError('heap section corrupted: context larger than the section');
        const names: string[] = [];
        const values: Slot[] = [];
        for (let i = 0; i < n; i++) {
          names.push(string());
          values.push(slot());
        }
        records[id] = { kind, description, parent, names, values };
        break;
      }
      case K.Timer: {
        const [callback, args, remaining, duration, repeat, flags] = [
          slot(),
          list(slot),
          r.double(),
          r.double(),
          r.double(),
          r.byte(),
        ];
        records[id] = {
          kind,
          callback,
          args,
          remaining,
          duration,
          repeat,
          refed: (flags & TimerFlag.Refed) !== 0,
          cleared: (flags & TimerFlag.Cleared) !== 0,
          running: (flags & TimerFlag.Running) !== 0,
        };
        break;
      }
      case K.Immediate: {
        const [callback, args, flags] = [slot(), list(slot), r.byte()];
        records[id] = {
          kind,
          callback,
          args,
          refed: (flags & ImmediateFlag.Refed) !== 0,
          running: (flags & ImmediateFlag.Running) !== 0,
        };
        break;
      }
      case K.Server:
        records[id] = {
          kind,
          proto: slot(),
          address: slot(),
          port: slot(),
          listeners: list(slot, 2),
          settings: list(slot, 2),
        };
        break;
      case K.Module:
        records[id] = { kind, filename: slot(), props: props() };
        break;
      case K.Require:
        records[id] = { kind, module: slot() };
        break;
      default:
        throw new HeapFormatError(`heap section corrupted: unknown record kind ${kind} (object ${id})`);
    }
    if (privates) (records[id] as Common).privates = privates;
  }
  if (!r.done) throw new HeapFormatError('heap section corrupted: bytes left after the last record');
  // The function table: each user function's source site and closure context, in entry order.
  r = new ByteReader(section.subarray(HEADER + recordsLength, HEADER + recordsLength + functionsLength));
  for (let entry = 0; entry < functions.length; entry++) {
    const record = records[functions[entry]] as Extract<HeapRecord, { kind: K.Function }> | undefined;
    if (!record) throw new HeapFormatError('heap section corrupted: missing function entry');
    record.site = r.uint();
    record.context = slot();
  }
  if (!r.done) throw new HeapFormatError('heap section corrupted: bytes left after the function table');
  return records;
}

const HEADER = 12;

export const HOLE = Symbol('hole');
