// Encodes decoded heap records (snapshot/heap/decoder.ts) back into a heap section, field for
// field as decodeHeap reads them: the fuzz test mutates records, not bytes, and writes them back.
import { ASYNC_GENERATOR, BOXED_KINDS, K, ProxyFlag, TimerFlag, TYPED_ARRAY_NAMES, V } from '../../snapshot/heap/tags';
import { ByteWriter, StringTable, encodeStrings } from '../../snapshot/heap/writer';
import { HOLE, Ref, type Common, type HeapRecord, type Property } from '../../snapshot/heap/decoder';

/** A record of a kind no decoder knows: written as its kind byte alone. */
export interface UnknownKindRecord {
  kind: number;
  unknown: true;
}

/** A list whose count says more items than it has: written with `extra` added to its count. */
export class OverlongList extends Array<unknown> {
  extra = 0;
}

export function encodeHeap(records: Array<HeapRecord | UnknownKindRecord>): Buffer {
  const out = new ByteWriter();
  const table = new ByteWriter();
  const strings = new StringTable();
  const functions: Array<Extract<HeapRecord, { kind: K.Function }>> = [];

  const writer = (w: ByteWriter) => {
    const string = (text: string) => w.uint(strings.intern(text));
    const slot = (value: unknown): void => {
      if (value === undefined) w.byte(V.Undefined);
      else if (value === null) w.byte(V.Null);
      else if (value === false) w.byte(V.False);
      else if (value === true) w.byte(V.True);
      else if (value === HOLE) w.byte(V.Hole);
      else if (value instanceof Ref) {
        w.byte(V.Ref);
        w.uint(value.id);
      } else if (typeof value === 'string') {
        w.byte(V.String);
        string(value);
      } else if (typeof value === 'bigint') {
        w.byte(V.BigInt);
        string(value.toString());
      } else if (
        typeof value === 'number' &&
        Number.isInteger(value) &&
        !Object.is(value, -0) &&
        Math.abs(value) < 2 ** 30
      ) {
        w.byte(V.Int);
        w.uint(value >= 0 ? value * 2 : -value * 2 - 1);
      } else if (typeof value === 'number') {
        w.byte(V.Double);
        w.double(value);
      } else throw new Error(`cannot encode slot ${String(value)}`);
    };
    const list = (items: unknown[], perItem = 1) => {
      w.uint(items.length / perItem + (items instanceof OverlongList ? items.extra : 0));
      items.forEach(slot);
    };
    const props = (items: Property[]) => {
      w.uint(items.length);
      for (const p of items) {
        slot(p.key);
        w.byte(p.flags);
        if (p.flags & 8) {
          slot(p.get);
          slot(p.set);
        } else slot(p.value);
      }
    };
    const common = (c: Common) => (slot(c.proto), w.byte(c.integrity), props(c.props));
    return { string, slot, list, props, common };
  };
  const { string, slot, list, props, common } = writer(out);

  for (const record of records) {
    if ('unknown' in record) {
      out.byte(record.kind);
      continue;
    }
    if ('privates' in record && record.privates) {
      out.byte(K.Privates);
      out.uint(record.privates.length);
      for (const p of record.privates) {
        string(p.name);
        slot(p.value);
      }
    }
    out.byte(record.kind);
    switch (record.kind) {
      case K.Object:
      case K.Error:
        common(record);
        break;
      case K.Array:
        out.uint(record.length);
        out.byte(record.elements ? 1 : 0);
        record.elements?.forEach(slot);
        common(record);
        break;
      case K.Function:
        out.uint(functions.push(record) - 1);
        common(record);
        break;
      case K.Builtin:
        string(record.path);
        break;
      case K.NodeFactory:
        string(record.path);
        list(record.args);
        break;
      case K.Date:
        out.double(record.time);
        common(record);
        break;
      case K.RegExp:
        string(record.source);
        string(record.flags);
        common(record);
        break;
      case K.Map:
      case K.WeakMap:
        list(record.entries, 2);
        common(record);
        break;
      case K.Set:
      case K.WeakSet:
        list(record.entries);
        common(record);
        break;
      case K.ArrayBuffer:
      case K.SharedArrayBuffer:
        out.uint(record.bytes.length);
        out.raw(record.bytes);
        common(record);
        break;
      case K.TypedArray:
        out.byte(TYPED_ARRAY_NAMES.indexOf(record.type as never));
        slot(record.buffer);
        out.uint(record.byteOffset);
        out.uint(record.length);
        common(record);
        break;
      case K.DataView:
        slot(record.buffer);
        out.uint(record.byteOffset);
        out.uint(record.byteLength);
        common(record);
        break;
      case K.Symbol:
        out.byte(record.form);
        string(record.text);
        break;
      case K.Boxed:
        out.byte(BOXED_KINDS.indexOf(record.type as never));
        slot(record.value);
        common(record);
        break;
      case K.Promise:
        out.byte(record.state);
        slot(record.result);
        if (record.state === 0)
          list(
            record.reactions.flatMap((r) => [r.onFulfilled, r.onRejected, r.derived]),
            3,
          );
        common(record);
        break;
      case K.PromiseResolver:
        slot(record.promise);
        out.byte(record.reject ? 1 : 0);
        break;
      case K.PromiseCombinatorElement:
        out.byte(record.combinator);
        out.uint(record.index);
        slot(record.group);
        break;
      case K.CoreStream:
        slot(record.streamClass);
        common(record);
        break;
      case K.FileWriteStream:
        slot(record.path);
        slot(record.flags);
        slot(record.mode);
        out.uint(record.fd);
        slot(record.pos);
        out.double(record.bytesWritten);
        out.byte(record.autoClose ? 1 : 0);
        list(record.listeners, 2);
        break;
      case K.Generator:
        out.byte(record.state | (record.async ? ASYNC_GENERATOR : 0));
        slot(record.receiver);
        common(record);
        break;
      case K.Proxy:
        slot(record.target);
        slot(record.handler);
        out.byte((record.revoked ? ProxyFlag.Revoked : 0) | (record.callable ? ProxyFlag.Callable : 0));
        break;
      case K.ProxyRevoke:
        slot(record.proxy);
        break;
      case K.CollectionIterator:
        out.byte(record.flags);
        slot(record.collection);
        out.uint(record.steps);
        common(record);
        break;
      case K.BoundFunction:
        slot(record.target);
        slot(record.boundThis);
        list(record.args);
        common(record);
        break;
      case K.Context:
        string(record.description);
        slot(record.parent);
        out.uint(record.names.length);
        record.names.forEach((name, i) => (string(name), slot(record.values[i])));
        break;
      case K.Timer:
        slot(record.callback);
        list(record.args);
        out.double(record.remaining);
        out.double(record.duration);
        out.double(record.repeat);
        out.byte((record.refed ? TimerFlag.Refed : 0) | (record.cleared ? TimerFlag.Cleared : 0));
        break;
      case K.Immediate:
        slot(record.callback);
        list(record.args);
        out.byte(record.refed ? 1 : 0);
        break;
      case K.Server:
        slot(record.proto);
        slot(record.address);
        slot(record.port);
        list(record.listeners, 2);
        list(record.settings, 2);
        break;
      case K.Module:
        slot(record.filename);
        props(record.props);
        break;
      case K.Require:
        slot(record.module);
        break;
    }
  }
  const tableSlot = writer(table).slot;
  for (const fn of functions) {
    table.uint(fn.site);
    tableSlot(fn.context);
  }

  const recordBytes = out.result();
  const tableBytes = table.result();
  const header = Buffer.alloc(12);
  header.writeUInt32LE(records.length, 0);
  header.writeUInt32LE(recordBytes.length, 4);
  header.writeUInt32LE(tableBytes.length, 8);
  return Buffer.concat([
    header,
    recordBytes,
    tableBytes,
    encodeStrings(strings.strings, (text, encoding) => Buffer.from(text, encoding)),
  ]);
}
