// Encodes decoded heap records (snapshot/heap/decoder.ts) back into a heap section, field for
// field as decodeHeap reads them and the walker (capture/agent/walker.ts) writes them. The fuzz test
// mutates records, not bytes, and writes them back; the codec test re-encodes a real capture and
// expects the agent's very bytes.
import {
  A,
  ASYNC_GENERATOR,
  BOXED_KINDS,
  ImmediateFlag,
  K,
  ProxyFlag,
  SocketFlag,
  TimerFlag,
  TYPED_ARRAY_NAMES,
  V,
} from '../../snapshot/heap/tags';
import { ByteWriter, StringTable, encodeStrings } from '../../snapshot/heap/writer';
import { HOLE, Ref, type Common, type HeapRecord, type Property, type RecordOf } from '../../snapshot/heap/decoder';

/** A record of a kind no decoder knows: written as its kind byte alone. */
export interface UnknownKindRecord {
  kind: number;
  unknown: true;
}

/** A list whose count says more items than it has: written with `extra` added to its count. */
export class OverlongList extends Array<unknown> {
  extra = 0;
}

/**
 * Where each string goes in the string table. The walker interns names (property keys, paths,
 * sources, context variables) and gives every string value an entry of its own.
 */
interface StringIndices {
  name(text: string): number;
  value(text: string): number;
  readonly strings: string[];
}

/** A fresh table, filled as the walker fills its own. */
function freshStrings(): StringIndices {
  const table = new StringTable();
  return { name: (text) => table.intern(text), value: (text) => table.add(text), strings: table.strings };
}

/**
 * The table a capture wrote, reused as it is: each string takes the first entry of its text not yet
 * taken (a name keeps the one it took). That gives the walker's indices when its entries of one text
 * were made in the order the records use them, as they are when names and values do not share a text.
 */
function replayedStrings(strings: string[]): StringIndices {
  const entries = new Map<string, number[]>();
  strings.forEach((text, index) => (entries.get(text) ?? entries.set(text, []).get(text)!).push(index));
  const names = new Map<string, number>();
  const take = (text: string) => {
    const index = entries.get(text)?.shift();
    if (index === undefined) throw new Error(`the string table has no entry left for ${JSON.stringify(text)}`);
    return index;
  };
  return {
    name: (text) => names.get(text) ?? names.set(text, take(text)).get(text)!,
    value: take,
    strings,
  };
}

/** Writes the fields records are made of, in the encoding decodeHeap reads. */
class FieldWriter {
  /** The user functions written so far, in the order of their function table entries. */
  readonly functions: Array<RecordOf<K.Function>> = [];

  constructor(
    readonly out: ByteWriter,
    private readonly strings: StringIndices,
  ) {}

  name(text: string): void {
    this.out.uint(this.strings.name(text));
  }

  slot(value: unknown): void {
    const out = this.out;
    if (value === undefined) out.byte(V.Undefined);
    else if (value === null) out.byte(V.Null);
    else if (value === false) out.byte(V.False);
    else if (value === true) out.byte(V.True);
    else if (value === HOLE) out.byte(V.Hole);
    else if (value instanceof Ref) this.tagged(V.Ref, value.id);
    else if (typeof value === 'string') this.tagged(V.String, this.strings.value(value));
    else if (typeof value === 'bigint') this.tagged(V.BigInt, this.strings.value(value.toString()));
    else if (typeof value === 'number') this.number(value);
    else throw new Error(`cannot encode slot ${String(value)}`);
  }

  private tagged(tag: V, index: number): void {
    this.out.byte(tag);
    this.out.uint(index);
  }

  /** Small integers as zigzag varints, every other number as a double (walker.ts `value`). */
  private number(value: number): void {
    if (Number.isInteger(value) && !Object.is(value, -0) && value >= -0x40000000 && value < 0x40000000) {
      this.out.byte(V.Int);
      this.out.uint(value >= 0 ? value * 2 : -value * 2 - 1);
    } else {
      this.out.byte(V.Double);
      this.out.double(value);
    }
  }

  /** A property key: a name, or a symbol's record. */
  key(key: string | Ref): void {
    if (key instanceof Ref) this.slot(key);
    else this.tagged(V.String, this.strings.name(key));
  }

  list(items: unknown[], perItem = 1): void {
    this.out.uint(items.length / perItem + (items instanceof OverlongList ? items.extra : 0));
    for (const item of items) this.slot(item);
  }

  props(props: Property[]): void {
    this.out.uint(props.length);
    for (const p of props) {
      this.key(p.key);
      this.out.byte(p.flags);
      for (const value of p.flags & A.Accessor ? [p.get, p.set] : [p.value]) this.slot(value);
    }
  }

  common(c: Common): void {
    this.slot(c.proto);
    this.out.byte(c.integrity);
    this.props(c.props);
  }
}

type KindWriters = { [T in HeapRecord['kind']]: (w: FieldWriter, record: RecordOf<T>) => void };

/** One writer per record kind, the mirror of decodeHeap's readers. */
const WRITERS: KindWriters = {
  [K.Object]: (w, r) => w.common(r),
  [K.Array]: (w, r) => {
    w.out.uint(r.length);
    w.out.byte(r.elements ? 1 : 0);
    r.elements?.forEach((element) => w.slot(element));
    w.common(r);
  },
  [K.Function]: (w, r) => (w.out.uint(w.functions.push(r) - 1), w.common(r)), // site and context: in the table
  [K.Builtin]: (w, r) => w.name(r.path),
  [K.NodeFactory]: (w, r) => (w.name(r.path), w.list(r.args)),
  [K.Date]: (w, r) => (w.out.double(r.time), w.common(r)),
  [K.RegExp]: (w, r) => (w.name(r.source), w.name(r.flags), w.common(r)),
  [K.Error]: (w, r) => w.common(r),
  [K.Map]: (w, r) => (w.list(r.entries, 2), w.common(r)),
  [K.Set]: (w, r) => (w.list(r.entries), w.common(r)),
  [K.WeakMap]: (w, r) => (w.list(r.entries, 2), w.common(r)),
  [K.WeakSet]: (w, r) => (w.list(r.entries), w.common(r)),
  [K.ArrayBuffer]: (w, r) => (w.out.uint(r.bytes.length), w.out.raw(r.bytes), w.common(r)),
  [K.SharedArrayBuffer]: (w, r) => (w.out.uint(r.bytes.length), w.out.raw(r.bytes), w.common(r)),
  [K.TypedArray]: (w, r) => {
    w.out.byte(TYPED_ARRAY_NAMES.indexOf(r.type as never));
    w.slot(r.buffer);
    w.out.uint(r.byteOffset);
    w.out.uint(r.length);
    w.common(r);
  },
  [K.DataView]: (w, r) => (w.slot(r.buffer), w.out.uint(r.byteOffset), w.out.uint(r.byteLength), w.common(r)),
  [K.Symbol]: (w, r) => (w.out.byte(r.form), w.name(r.text)),
  [K.Boxed]: (w, r) => (w.out.byte(BOXED_KINDS.indexOf(r.type as never)), w.slot(r.value), w.common(r)),
  [K.Promise]: (w, r) => {
    w.out.byte(r.state);
    w.slot(r.result);
    if (r.state === 0)
      w.list(
        r.reactions.flatMap((re) => [re.onFulfilled, re.onRejected, re.derived]),
        3,
      );
    w.common(r);
  },
  [K.PromiseResolver]: (w, r) => (w.slot(r.promise), w.out.byte(r.reject ? 1 : 0)),
  [K.PromiseCombinatorElement]: (w, r) => (w.out.byte(r.combinator), w.out.uint(r.index), w.slot(r.group)),
  [K.CoreStream]: (w, r) => (w.slot(r.streamClass), w.common(r)),
  [K.FileWriteStream]: (w, r) => {
    for (const slot of [r.path, r.flags, r.mode]) w.slot(slot);
    w.out.uint(r.fd);
    w.slot(r.pos);
    w.out.double(r.bytesWritten);
    w.out.byte(r.autoClose ? 1 : 0);
    w.list(r.listeners, 2);
  },
  [K.Generator]: (w, r) => (w.out.byte(r.state | (r.async ? ASYNC_GENERATOR : 0)), w.slot(r.receiver), w.common(r)),
  [K.Proxy]: (w, r) => {
    w.slot(r.target);
    w.slot(r.handler);
    w.out.byte((r.revoked ? ProxyFlag.Revoked : 0) | (r.callable ? ProxyFlag.Callable : 0));
  },
  [K.ProxyRevoke]: (w, r) => w.slot(r.proxy),
  [K.CollectionIterator]: (w, r) => (w.out.byte(r.flags), w.slot(r.collection), w.out.uint(r.steps), w.common(r)),
  [K.FileHandle]: (w, r) => (w.slot(r.fd), w.props(r.props)),
  [K.EventIterator]: (w, r) => {
    w.slot(r.emitter);
    w.slot(r.event);
    w.out.byte(r.flags);
    w.out.double(r.lowWatermark);
    w.out.double(r.highWatermark);
    w.slot(r.error);
    for (const list of [r.closeEvents, r.buffered, r.pending]) w.list(list);
  },
  [K.WasmModule]: (w, r) => (w.out.uint(r.bytes.length), w.out.raw(r.bytes)),
  [K.WasmInstance]: (w, r) => {
    w.slot(r.module);
    w.out.uint(r.imports.length);
    for (const { module, name, value } of r.imports) {
      w.name(module);
      w.name(name);
      w.slot(value);
    }
    w.list(r.state);
    w.out.uint(r.globals.length);
    for (const { index, type, value } of r.globals) {
      w.out.uint(index);
      w.out.byte(type);
      w.slot(value);
    }
  },
  [K.WasmExports]: (w, r) => w.slot(r.instance),
  [K.WasmFunction]: (w, r) => (w.slot(r.instance), w.name(r.name), w.slot(r.index)),
  [K.WasmMemoryBuffer]: (w, r) => w.slot(r.memory),
  [K.WasmMemory]: (w, r) => (w.slot(r.instance), w.name(r.name), w.out.uint(r.bytes.length), w.out.raw(r.bytes)),
  [K.WasmTable]: (w, r) => {
    w.slot(r.instance);
    w.name(r.name);
    w.out.uint(r.length);
    w.out.uint(r.changes.length);
    for (const { index, value } of r.changes) {
      w.out.uint(index);
      w.slot(value);
    }
  },
  [K.WasmGlobal]: (w, r) => (w.slot(r.instance), w.name(r.name), w.slot(r.value)),
  [K.BoundFunction]: (w, r) => (w.slot(r.target), w.slot(r.boundThis), w.list(r.args), w.common(r)),
  [K.Context]: (w, r) => {
    w.name(r.description);
    w.slot(r.parent);
    w.out.uint(r.names.length);
    r.names.forEach((name, i) => (w.name(name), w.slot(r.values[i])));
  },
  [K.Timer]: (w, r) => {
    w.slot(r.callback);
    w.list(r.args);
    for (const ms of [r.remaining, r.duration, r.repeat]) w.out.double(ms);
    w.out.byte(
      (r.refed ? TimerFlag.Refed : 0) | (r.cleared ? TimerFlag.Cleared : 0) | (r.running ? TimerFlag.Running : 0),
    );
  },
  [K.Immediate]: (w, r) => (
    w.slot(r.callback),
    w.list(r.args),
    w.out.byte((r.refed ? ImmediateFlag.Refed : 0) | (r.running ? ImmediateFlag.Running : 0))
  ),
  [K.Server]: (w, r) => {
    for (const slot of [r.proto, r.address, r.port]) w.slot(slot);
    w.list(r.listeners, 2);
    w.list(r.settings, 2);
  },
  [K.Socket]: (w, r) => {
    const flags =
      (r.refed ? SocketFlag.Refed : 0) |
      (r.paused ? SocketFlag.Paused : 0) |
      (r.allowHalfOpen ? SocketFlag.AllowHalfOpen : 0) |
      (r.serverParser ? SocketFlag.ServerParser : 0);
    w.out.byte(flags);
    w.slot(r.server);
    w.out.double(r.timeout);
    for (const slot of [r.encoding, r.unread]) w.slot(slot);
    w.list(r.listeners, 2);
    w.common(r);
  },
  [K.Module]: (w, r) => (w.slot(r.filename), w.props(r.props)),
  [K.Require]: (w, r) => w.slot(r.module),
};

/** The prefix of a record whose object holds private fields. */
function writePrivates(w: FieldWriter, record: HeapRecord): void {
  if (!('privates' in record) || !record.privates) return;
  w.out.byte(K.Privates);
  w.out.uint(record.privates.length);
  for (const p of record.privates) {
    w.name(p.name);
    w.slot(p.value);
  }
}

/**
 * A heap section of `records`. With `strings` (the string table of the section they were decoded
 * from), that table is written again and string indices are chosen in it (replayedStrings).
 */
export function encodeHeap(records: Array<HeapRecord | UnknownKindRecord>, strings?: string[]): Buffer {
  const indices = strings ? replayedStrings(strings) : freshStrings();
  const w = new FieldWriter(new ByteWriter(), indices);
  for (const record of records) {
    if ('unknown' in record) {
      w.out.byte(record.kind);
      continue;
    }
    writePrivates(w, record);
    w.out.byte(record.kind);
    (WRITERS[record.kind] as (w: FieldWriter, record: HeapRecord) => void)(w, record);
  }
  const table = new FieldWriter(new ByteWriter(), indices);
  for (const fn of w.functions) {
    table.out.uint(fn.site);
    table.slot(fn.context);
  }
  return section(records.length, w.out.result(), table.out.result(), indices.strings);
}

function section(count: number, records: Uint8Array, functionTable: Uint8Array, strings: string[]): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt32LE(count, 0);
  header.writeUInt32LE(records.length, 4);
  header.writeUInt32LE(functionTable.length, 8);
  const table = encodeStrings(strings, (text, encoding) => Buffer.from(text, encoding));
  return Buffer.concat([header, records, functionTable, table]);
}
