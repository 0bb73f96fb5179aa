// WebAssembly objects. A module cannot give its bytes back to JavaScript, but V8 keeps them for the
// debugger: the module's script (named in the heap snapshot) gives them through the Debugger domain.
// An instance is made again from its module and the same imports (JavaScript functions, read from
// the heap snapshot); what it exports is then the new instance's, so a memory, a table or a global
// is carried as "export NAME of instance X" with its state, and the program's views on a memory's
// buffer are views on the new memory's. Whatever the program cannot reach through exports (a
// memory, table or global the instance keeps to itself) could not be put back: refused.
import { K } from '../../heap/tags';
import type { HeapGraph, HeapGraphSource } from './heap-graph';
import {
  WASM_PAGE,
  webAssemblyApi,
  type WasmApi,
  type WasmGlobal,
  type WasmInstance,
  type WasmMemory,
  type WasmModule,
  type WasmTable,
} from '../../heap/webassembly-api';

/** What the walker writes for a WebAssembly object (the state of memories, tables and globals it reads itself). */
export type WasmPart =
  | { kind: K.WasmModule; bytes: Uint8Array }
  | { kind: K.WasmInstance; module: object; imports: WasmImport[]; state: object[] }
  | { kind: K.WasmExports; instance: object }
  | { kind: ExportKind; instance: object; name: string }
  | { kind: K.WasmMemoryBuffer; memory: object };

export interface WasmImport {
  module: string;
  name: string;
  value: unknown;
}

/** What reading WebAssembly objects takes of the introspector (inspector.ts). */
export interface WasmReader {
  instances(prototype: object): unknown[];
  heapIds(objects: object[]): number[];
  objectByHeapId(heapId: number): unknown;
  internals(value: object): Record<string, unknown>;
  /** The bytes of every WebAssembly script the runtime compiled, by its URL. */
  wasmScripts(): Map<string, Uint8Array[]>;
}

interface Catalog {
  /** Each value an instance exports: its instance and (first) export name. */
  exported: Map<unknown, { instance: object; name: string }>;
  exportsObjects: Map<object, object>;
  /** The current buffer of each exported memory. */
  buffers: Map<ArrayBuffer, object>;
}

const START_SECTION = 8;

export class WebAssemblyParts {
  private catalog: Catalog | undefined;
  private scripts: Map<string, Uint8Array[]> | undefined;
  private readonly moduleBytes = new Map<object, Uint8Array | string>();

  constructor(
    private readonly reader: WasmReader,
    private readonly heapGraph: HeapGraphSource,
  ) {}

  /** How a WebAssembly object is carried, why it cannot be, or undefined for any other value. */
  part(value: object): WasmPart | string | undefined {
    const wasm = webAssemblyApi();
    if (!wasm) return undefined;
    if (value instanceof ArrayBuffer) return this.memoryBuffer(wasm, value);
    if (isModule(wasm, value)) return this.module(value);
    if (value instanceof wasm.Instance) return this.instance(wasm, value);
    // The heap query behind the catalogue is made only for what can be a WebAssembly object.
    if (Object.getPrototypeOf(value) === null) {
      const instance = this.catalogue(wasm).exportsObjects.get(value);
      return instance ? { kind: K.WasmExports, instance } : undefined;
    }
    const kind = exportKind(wasm, value);
    if (kind === undefined) return undefined;
    const owner = this.catalogue(wasm).exported.get(value);
    if (!owner)
      return kind === K.WasmFunction
        ? 'a WebAssembly function its instance does not export (not carried yet)'
        : `a ${describe(value)} that no WebAssembly instance exports (one the program made: its limits and type cannot be read; not carried yet)`;
    if (kind !== K.WasmFunction && (Reflect.ownKeys(value).length > 0 || !hasOwnPrototype(wasm, value)))
      return `a ${describe(value)} with properties or a prototype of its own (not carried yet)`;
    if (kind === K.WasmMemory && !(memoryBuffer(value as WasmMemory) instanceof ArrayBuffer))
      return 'a shared WebAssembly.Memory (threads: not carried yet)';
    return { kind, instance: owner.instance, name: owner.name };
  }

  /** A page-sized ArrayBuffer may be a memory's: the only buffers looked up (catalogued on first use). */
  private memoryBuffer(wasm: WasmApi, buffer: ArrayBuffer): WasmPart | undefined {
    const length = buffer.byteLength;
    if (length === 0 || length % WASM_PAGE !== 0) return undefined;
    const memory = this.catalogue(wasm).buffers.get(buffer);
    return memory ? { kind: K.WasmMemoryBuffer, memory } : undefined;
  }

  private module(module: object): WasmPart | string {
    const bytes = this.bytesOf(module);
    if (typeof bytes === 'string') return bytes;
    if (Reflect.ownKeys(module).length > 0 || !hasOwnPrototype(webAssemblyApi()!, module))
      return 'a WebAssembly.Module with properties or a prototype of its own (not carried yet)';
    return { kind: K.WasmModule, bytes };
  }

  /** The bytes a module was compiled from: its script's, found by the URL the heap snapshot names. */
  private bytesOf(module: object): Uint8Array | string {
    let bytes = this.moduleBytes.get(module);
    if (bytes === undefined) {
      const graph = this.heapGraph('WebAssembly modules');
      const [heapId] = this.reader.heapIds([module]);
      const url = graph.edges(heapId).find((e) => e.toName.startsWith('wasm://'))?.toName;
      const found = url === undefined ? [] : ((this.scripts ??= this.reader.wasmScripts()).get(url) ?? []);
      bytes =
        found.length === 0
          ? 'a WebAssembly.Module whose bytes the runtime did not keep'
          : found.some((other) => !sameBytes(other, found[0]))
            ? 'a WebAssembly.Module whose bytes cannot be told apart from another module with the same name'
            : found[0];
      this.moduleBytes.set(module, bytes);
    }
    return bytes;
  }

  private instance(wasm: WasmApi, instance: WasmInstance): WasmPart | string {
    if (Reflect.ownKeys(instance).length > 0 || !hasOwnPrototype(wasm, instance))
      return 'a WebAssembly.Instance with properties or a prototype of its own (not carried yet)';
    const slots = this.reader.internals(instance);
    const module = slots['[[Module]]'] as WasmModule | undefined;
    if (!module) return 'a WebAssembly.Instance whose module the inspector does not show';
    const bytes = this.bytesOf(module);
    if (typeof bytes === 'string') return bytes;
    // Instantiating it again would run its start function again.
    if (sectionIds(bytes).includes(START_SECTION))
      return 'a WebAssembly.Instance of a module with a start function (it would run again: not carried yet)';
    const exported = Object.entries(instanceExports(instance));
    const state = exported
      .map(([, v]) => v)
      .filter((v) => v instanceof wasm.Memory || v instanceof wasm.Table || v instanceof wasm.Global) as object[];
    const hidden = (['[[Memories]]', '[[Tables]]'] as const).find(
      (slot, i) =>
        Object.keys(viewOf(slots[slot])).length > new Set(state.filter((v) => v instanceof STATEFUL[i](wasm))).size,
    );
    if (hidden)
      return `a WebAssembly.Instance with ${hidden.slice(2, -2).toLowerCase()} it does not export (their state could not be put back: not carried yet)`;
    const globals = exported.filter(([, v]) => v instanceof wasm.Global).map(([name]) => `$${name}`);
    const changed = this.changedHiddenGlobal(wasm, module, viewOf(slots['[[Globals]]']), new Set(globals));
    if (changed)
      return `a WebAssembly.Instance whose global ${changed}, which it does not export, no longer has its first value (it could not be put back: not carried yet)`;
    const imports = this.importsOf(wasm, instance, module);
    return typeof imports === 'string' ? imports : { kind: K.WasmInstance, module, imports, state };
  }

  /**
   * A global the instance keeps to itself is made again with its module's first value: fine if it
   * has that value now (as a stack pointer has between calls). Its first value is a fresh twin's
   * (instantiated with imports that are never called: no start function runs).
   */
  private changedHiddenGlobal(
    wasm: WasmApi,
    module: WasmModule,
    live: Record<string, unknown>,
    exported: Set<string>,
  ): string | undefined {
    const hidden = Object.keys(live).filter((name) => !exported.has(name));
    if (hidden.length === 0) return undefined;
    const stubs: Record<string, Record<string, unknown>> = {};
    for (const d of wasm.Module.imports(module)) (stubs[d.module] ??= {})[d.name] = NEVER_CALLED;
    const twin = viewOf(this.reader.internals(new wasm.Instance(module, stubs))['[[Globals]]']);
    return hidden.find((name) => !Object.is(globalView(live[name]), globalView(twin[name])));
  }

  /**
   * The values an instance was given for its imports. Only JavaScript functions are carried: the
   * instance keeps each (in import order) in a WasmApiFunctionRef the heap snapshot shows.
   */
  private importsOf(wasm: WasmApi, instance: object, module: WasmModule): WasmImport[] | string {
    const wanted = wasm.Module.imports(module);
    const other = wanted.find((d) => d.kind !== 'function');
    if (other)
      return `a WebAssembly.Instance that imports a ${other.kind} (${other.module}.${other.name}): not carried yet`;
    if (wanted.length === 0) return [];
    const graph = this.heapGraph('WebAssembly imports');
    const functions = importedFunctions(graph, this.reader.heapIds([instance])[0]);
    if (functions.length !== wanted.length)
      return 'a WebAssembly.Instance whose imported functions were not all found in the heap snapshot';
    return wanted.map((d, i) => ({ module: d.module, name: d.name, value: this.reader.objectByHeapId(functions[i]) }));
  }

  private catalogue(wasm: WasmApi): Catalog {
    if (this.catalog) return this.catalog;
    const catalog: Catalog = { exported: new Map(), exportsObjects: new Map(), buffers: new Map() };
    for (const instance of this.reader.instances(wasm.Instance.prototype) as WasmInstance[]) {
      const exports = instanceExports(instance);
      catalog.exportsObjects.set(exports, instance);
      for (const [name, value] of Object.entries(exports)) {
        if (!catalog.exported.has(value)) catalog.exported.set(value, { instance, name });
        if (value instanceof wasm.Memory) catalog.buffers.set(memoryBuffer(value) as ArrayBuffer, value);
      }
    }
    return (this.catalog = catalog);
  }
}

const STATEFUL = [(wasm: WasmApi) => wasm.Memory, (wasm: WasmApi) => wasm.Table, (wasm: WasmApi) => wasm.Global];

/** The getters of the built-ins (the program may have replaced or shadowed them). */
const instanceExports = (instance: WasmInstance): Record<string, unknown> =>
  Reflect.getOwnPropertyDescriptor(webAssemblyApi()!.Instance.prototype, 'exports')!.get!.call(instance);
export const memoryBuffer = (memory: WasmMemory): ArrayBufferLike =>
  Reflect.getOwnPropertyDescriptor(webAssemblyApi()!.Memory.prototype, 'buffer')!.get!.call(memory);
export const tableLength = (table: WasmTable): number =>
  Reflect.getOwnPropertyDescriptor(webAssemblyApi()!.Table.prototype, 'length')!.get!.call(table);
export const tableEntry = (table: WasmTable, index: number): unknown =>
  webAssemblyApi()!.Table.prototype.get.call(table, index);
export const globalValue = (global: WasmGlobal): unknown =>
  Reflect.getOwnPropertyDescriptor(webAssemblyApi()!.Global.prototype, 'value')!.get!.call(global);

/** A brand check: Module.exports throws on anything that is not a module. */
function isModule(wasm: WasmApi, value: object): boolean {
  if (!(value instanceof wasm.Module)) return false;
  try {
    wasm.Module.exports(value as WasmModule);
    return true;
  } catch {
    return false;
  }
}

type ExportKind = K.WasmFunction | K.WasmMemory | K.WasmTable | K.WasmGlobal;

function exportKind(wasm: WasmApi, value: object): ExportKind | undefined {
  if (value instanceof wasm.Memory) return K.WasmMemory;
  if (value instanceof wasm.Table) return K.WasmTable;
  if (value instanceof wasm.Global) return K.WasmGlobal;
  if (
    typeof value === 'function' &&
    /^function \d+\(\) \{ \[native code\] \}$/.test(Function.prototype.toString.call(value))
  )
    return K.WasmFunction;
  return undefined;
}

function describe(value: object): string {
  return typeof value === 'function'
    ? 'WebAssembly function'
    : `WebAssembly.${Object.prototype.toString.call(value).slice(20, -1)}`;
}

function hasOwnPrototype(wasm: WasmApi, value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return [wasm.Module, wasm.Instance, wasm.Memory, wasm.Table, wasm.Global].some((c) => c.prototype === proto);
}

/** An inspector view of an instance ([[Memories]], [[Tables]], [[Globals]]): its entries by name. */
function viewOf(view: unknown): Record<string, unknown> {
  return typeof view === 'object' && view !== null ? (view as Record<string, unknown>) : {};
}

/** A global's value in the inspector's view (an object with its type and value). */
function globalView(entry: unknown): unknown {
  return typeof entry === 'object' && entry !== null ? (entry as { value?: unknown }).value : entry;
}

/** The import a twin instance is given: never called (instantiating calls nothing without a start function). */
function NEVER_CALLED(): never {
  throw new Error('ferry: a stand-in import was called');
}

/** The closures an instance's imported-function refs call, in import order (V8's layout: an array of WasmApiFunctionRef). */
function importedFunctions(graph: HeapGraph, instanceId: number): number[] {
  for (const edge of graph.edges(instanceId)) {
    const refs = graph.edges(edge.to).filter((e) => e.toName === 'system / WasmApiFunctionRef');
    if (refs.length === 0) continue;
    return refs.flatMap((ref) => {
      const callable = graph.edges(ref.to).find((e) => graph.node(e.to)?.type === 'closure');
      return callable ? [callable.to] : [];
    });
  }
  return [];
}

/** The ids of a module's sections, in order (each: an id byte, then its size as a LEB128). */
export function sectionIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  for (let at = 8; at < bytes.length;) {
    ids.push(bytes[at++]);
    let size = 0;
    for (let shift = 0; at < bytes.length; shift += 7) {
      const byte = bytes[at++];
      size += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
    }
    at += size;
  }
  return ids;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
