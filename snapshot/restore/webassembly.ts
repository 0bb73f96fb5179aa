// WebAssembly at restore (capture/agent/webassembly.ts): a module compiled again from its bytes,
// an instance made again from it with the same imports, and what it exports given back the state
// it had: a memory grown to its size and its bytes written back, a table's entries set again, a
// global's value. Each is made from its parts, so an instance exists before what it exports.
// An instance lists the memories, tables and globals it exports so that each has a record.
import { K } from '../heap/tags';
import type { HeapRecord, RecordOf, Ref } from '../heap/decoder';
import { withGlobalValues } from '../heap/wasm-binary';
import {
  WASM_PAGE,
  webAssemblyApi,
  type WasmApi,
  type WasmInstance,
  type WasmMemory,
  type WasmModule,
  type WasmTable,
  type WasmGlobal,
} from '../heap/webassembly-api';

type Part = (slot: unknown) => unknown;
type Kind = HeapRecord['kind'];
type Builder<T extends Kind> = (b: { records: HeapRecord[] }, record: RecordOf<T>, id: number, part: Part) => unknown;

function api(): WasmApi {
  const wasm = webAssemblyApi();
  if (!wasm) throw new Error('this Node has no WebAssembly');
  return wasm;
}

/** What an instance exports under `name`, as the restored instance has it. */
function exported(part: Part, instance: unknown, name: string): unknown {
  const value = (part(instance) as WasmInstance).exports[name];
  if (value === undefined) throw new Error(`checkpoint corrupted: the WebAssembly instance exports no ${name}`);
  return value;
}

function instantiate(records: HeapRecord[], record: RecordOf<K.WasmInstance>, part: Part): WasmInstance {
  const imports: Record<string, Record<string, unknown>> = {};
  for (const { module, name, value } of record.imports) (imports[module] ??= {})[name] = part(value);
  if (record.globals.length > 0) {
    // Globals it does not export start with the values they had, in a copy of its module.
    const { bytes } = records[(record.module as Ref).id] as RecordOf<K.WasmModule>;
    const globals = record.globals.map((g) => ({ ...g, value: g.value as number | bigint }));
    return new (api().Instance)(new (api().Module)(withGlobalValues(bytes, globals)), imports);
  }
  // What it exports (record.state) is given its state when the rebuild comes to it, held or not.
  return new (api().Instance)(part(record.module) as WasmModule, imports);
}

function restoreMemory(record: RecordOf<K.WasmMemory>, part: Part): WasmMemory {
  const memory = exported(part, record.instance, record.name) as WasmMemory;
  const pages = record.bytes.length / WASM_PAGE - memory.buffer.byteLength / WASM_PAGE;
  if (pages > 0) memory.grow(pages);
  new Uint8Array(memory.buffer).set(record.bytes);
  return memory;
}

function restoreTable(record: RecordOf<K.WasmTable>, part: Part): WasmTable {
  const table = exported(part, record.instance, record.name) as WasmTable;
  if (record.length > table.length) table.grow(record.length - table.length);
  for (const { index, value } of record.changes) table.set(index, part(value));
  return table;
}

function restoreGlobal(record: RecordOf<K.WasmGlobal>, part: Part): WasmGlobal {
  const global = exported(part, record.instance, record.name) as WasmGlobal;
  const value = part(record.value);
  // An immutable global has its value from its module: it is only set when it differs.
  if (!Object.is(global.value, value)) global.value = value;
  return global;
}

/** The FROM_PARTS builders of rebuild.ts for WebAssembly records. */
export const WASM_BUILDERS: { [T in Kind]?: Builder<T> } = {
  [K.WasmModule]: (_, record) => new (api().Module)(record.bytes),
  [K.WasmInstance]: (b, record, __, part) => instantiate(b.records, record, part),
  [K.WasmExports]: (_, record, __, part) => (part(record.instance) as WasmInstance).exports,
  // An export, or the function a table slot holds from the start (one the program has not changed).
  [K.WasmFunction]: (_, record, __, part) => {
    const named = exported(part, record.instance, record.name);
    return record.index === -1 ? named : (named as WasmTable).get(record.index as number);
  },
  [K.WasmMemory]: (_, record, __, part) => restoreMemory(record, part),
  [K.WasmMemoryBuffer]: (_, record, __, part) => (part(record.memory) as WasmMemory).buffer,
  [K.WasmTable]: (_, record, __, part) => restoreTable(record, part),
  [K.WasmGlobal]: (_, record, __, part) => restoreGlobal(record, part),
};
