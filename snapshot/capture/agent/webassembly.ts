// WebAssembly objects. A module cannot give its bytes back to JavaScript, but V8 keeps them for the
// debugger: the module's script (named in the heap snapshot) gives them through the Debugger domain.
// An instance is made again from its module and the same imports (JavaScript functions, read from
// the heap snapshot); what it exports is then the new instance's, so a memory, a table or a global
// is carried as "export NAME of instance X" with its state, and the program's views on a memory's
// buffer are views on the new memory's. Globals the instance keeps to itself are given their
// values in the module it is made from (webassembly-twins.ts); a memory or table it keeps to
// itself could not be put back: refused.
import { K } from '../../heap/tags';
import type { HeapGraph, HeapGraphSource } from './heap-graph';
import { InstanceTwins, type TableChange } from './webassembly-twins';
import { sectionIds, withGlobalValues, type GlobalValue } from '../../heap/wasm-binary';
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
  | { kind: K.WasmInstance; module: object; imports: WasmImport[]; state: object[]; globals: GlobalValue[] }
  | { kind: K.WasmExports; instance: object }
  | { kind: K.WasmMemory | K.WasmGlobal; instance: object; name: string }
  /** An export of its instance (index -1), or the function at `index` of its exported table `name`. */
  | { kind: K.WasmFunction; instance: object; name: string; index: number }
  | { kind: K.WasmTable; instance: object; name: string; length: number; changes: TableChange[] }
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
  reachableByHeapId(heapId: number): unknown;
  internals(value: object): Record<string, unknown>;
  /** The bytes of every WebAssembly script the runtime compiled, by its URL. */
  wasmScripts(): Map<string, Uint8Array[]>;
}

interface Catalog {
  /** Each value an instance exports: its instance and (first) export name. */
  exported: Map<unknown, { instance: WasmInstance; name: string }>;
  instances: WasmInstance[];
  exportsObjects: Map<object, object>;
  /** The current buffer of each exported memory. */
  buffers: Map<ArrayBuffer, object>;
}

const START_SECTION = 8;

export class WebAssemblyParts {
  private catalog: Catalog | undefined;
  private scripts: Map<string, Uint8Array[]> | undefined;
  private readonly moduleBytes = new Map<object, Uint8Array | string>();
  private readonly modules = new Map<WasmInstance, WasmModule | undefined>();
  private twins: InstanceTwins | undefined;

  constructor(
    private readonly reader: WasmReader,
    private readonly heapGraph: HeapGraphSource,
    /** Whether any module was compiled: else no instance exists, and the catalogue is empty without a heap query. */
    private readonly compiled: boolean,
  ) {}

  /** How a WebAssembly object is carried, why it cannot be, or undefined for any other value. */
  part(value: object): WasmPart | string | undefined {
    const wasm = webAssemblyApi();
    if (!wasm) return undefined;
    if (value instanceof ArrayBuffer) return this.memoryBuffer(wasm, value);
    if (isModule(wasm, value)) return this.module(value);
    if (value instanceof wasm.Instance) return this.instance(wasm, value);
    // The heap query behind the catalogue is made only for what can be a WebAssembly object: an
    // instance's exports object is a frozen one with no prototype.
    if (Object.getPrototypeOf(value) === null) {
      if (!Object.isFrozen(value)) return undefined;
      const instance = this.catalogue(wasm).exportsObjects.get(value);
      return instance ? { kind: K.WasmExports, instance } : undefined;
    }
    const kind = exportKind(wasm, value);
    if (kind === undefined) return undefined;
    const owner = this.catalogue(wasm).exported.get(value);
    if (kind === K.WasmFunction) return owner ? { kind, ...owner, index: -1 } : this.unexportedFunction(wasm, value);
    if (!owner)
      return `a ${describe(value)} that no WebAssembly instance exports (one the program made: its limits and type cannot be read; not carried yet)`;
    if (Reflect.ownKeys(value).length > 0 || !hasOwnPrototype(wasm, value))
      return `a ${describe(value)} with properties or a prototype of its own (not carried yet)`;
    if (kind === K.WasmMemory && !(memoryBuffer(value as WasmMemory) instanceof ArrayBuffer))
      return 'a shared WebAssembly.Memory (threads: not carried yet)';
    if (kind !== K.WasmTable) return { kind, ...owner };
    const module = this.moduleOf(owner.instance);
    const other = module && otherImport(wasm, module);
    if (!module || other)
      return `a WebAssembly.Table of an instance that ${other ? describeImport(other) : 'the inspector does not show the module of'}`;
    const changes = this.twinsOf(wasm).tableChanges(owner.instance, module, owner.name);
    return { kind, ...owner, length: tableLength(value as WasmTable), changes };
  }

  /** A function an instance does not export: found again at a table slot holding it from the start. */
  private unexportedFunction(wasm: WasmApi, fn: object): WasmPart | string {
    for (const instance of this.catalogue(wasm).instances) {
      const module = this.moduleOf(instance);
      const slot = module && !otherImport(wasm, module) && this.twinsOf(wasm).tableSlotOf(instance, module, fn);
      if (slot) return { kind: K.WasmFunction, instance, name: slot.table, index: slot.index };
    }
    return 'a WebAssembly function its instance neither exports nor holds in a table from the start (not carried yet)';
  }

  private moduleOf(instance: WasmInstance): WasmModule | undefined {
    if (!this.modules.has(instance))
      this.modules.set(instance, this.reader.internals(instance)['[[Module]]'] as WasmModule | undefined);
    return this.modules.get(instance);
  }

  private twinsOf(wasm: WasmApi): InstanceTwins {
    return (this.twins ??= new InstanceTwins(wasm, this.reader, instanceExports, tableEntry, tableLength));
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
    const module = this.moduleOf(instance);
    if (!module) return 'a WebAssembly.Instance whose module the inspector does not show';
    const bytes = this.bytesOf(module);
    if (typeof bytes === 'string') return bytes;
    // Instantiating it again would run its start function again.
    if (sectionIds(bytes).includes(START_SECTION))
      return 'a WebAssembly.Instance of a module with a start function (it would run again: not carried yet)';
    // Neither a twin (webassembly-twins.ts) nor the restore could be given another import.
    const other = otherImport(wasm, module);
    if (other) return `a WebAssembly.Instance that ${describeImport(other)}`;
    const state = Object.values(instanceExports(instance)).filter(
      (v) => v instanceof wasm.Memory || v instanceof wasm.Table || v instanceof wasm.Global,
    ) as object[];
    const hidden = (['[[Memories]]', '[[Tables]]'] as const).find(
      (slot, i) => countOf(slots[slot]) > new Set(state.filter((v) => v instanceof STATEFUL[i](wasm))).size,
    );
    if (hidden)
      return `a WebAssembly.Instance with ${hidden.slice(2, -2).toLowerCase()} it does not export (their state could not be put back: not carried yet)`;
    const globals = this.twinsOf(wasm).hiddenGlobalValues(instance, module);
    if (typeof globals === 'string') return `a WebAssembly.Instance: ${globals}`;
    try {
      if (globals.length > 0) withGlobalValues(bytes, globals); // what the restore will do
    } catch (error) {
      return `a WebAssembly.Instance whose module's globals cannot be given their values: ${(error as Error).message}`;
    }
    const imports = this.importsOf(wasm, instance, module);
    return typeof imports === 'string' ? imports : { kind: K.WasmInstance, module, imports, state, globals };
  }

  /**
   * The values an instance was given for its imports. Only JavaScript functions are carried: the
   * instance keeps each (in import order) in a WasmApiFunctionRef the heap snapshot shows.
   */
  private importsOf(wasm: WasmApi, instance: object, module: WasmModule): WasmImport[] | string {
    const wanted = wasm.Module.imports(module);
    if (wanted.length === 0) return [];
    const graph = this.heapGraph('WebAssembly imports');
    const functions = importedFunctions(graph, this.reader.heapIds([instance])[0]);
    if (functions.length !== wanted.length)
      return `a WebAssembly.Instance whose imported functions were not all found in the heap snapshot (V8 of Node ${process.version} keeps them where Ferry does not look for them)`;
    const values = functions.map((id) => this.reader.reachableByHeapId(id));
    const unreachable = wanted.filter((_, i) => values[i] === undefined).map((d) => `${d.module}.${d.name}`);
    if (unreachable.length > 0)
      return `a WebAssembly.Instance importing functions the program no longer holds (${unreachable.join(', ')}): Node ${process.version} keeps them inside the instance, where the inspector cannot reach them; keep a reference to each in the program, or checkpoint on Node 20 or 22`;
    return wanted.map((d, i) => ({ module: d.module, name: d.name, value: values[i] }));
  }

  private catalogue(wasm: WasmApi): Catalog {
    if (this.catalog) return this.catalog;
    const found = this.compiled ? (this.reader.instances(wasm.Instance.prototype) as WasmInstance[]) : [];
    const instances = found.filter((instance) => !this.twins?.isTwin(instance));
    const catalog: Catalog = { exported: new Map(), exportsObjects: new Map(), buffers: new Map(), instances };
    for (const instance of instances) {
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

type ImportDescriptor = { module: string; name: string; kind: string };

/** An import of the module that is not a function (a memory, table or global the program gives it). */
function otherImport(wasm: WasmApi, module: WasmModule): ImportDescriptor | undefined {
  return wasm.Module.imports(module).find((d) => d.kind !== 'function');
}

function describeImport(d: ImportDescriptor): string {
  return `imports a ${d.kind} (${d.module}.${d.name}): not carried yet`;
}

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

/** How many entries an inspector view ([[Memories]], [[Tables]]) lists. */
function countOf(view: unknown): number {
  return typeof view === 'object' && view !== null ? Object.keys(view).length : 0;
}

/**
 * V8's records of an instance's imported functions, one per import in order, each holding the
 * closure it calls: WasmApiFunctionRefs in an array under the instance (Node 20), or under its
 * trusted data (Node 22); WasmImportData in its dispatch table for imports, under its trusted data (Node 24).
 */
const IMPORT_REFS = ['system / WasmApiFunctionRef', 'system / WasmImportData'];
/** How far below the instance V8's internal objects may keep them. */
const IMPORT_HOLDER_DEPTH = 3;

/** The closures an instance's imported functions call, in import order; none if V8 keeps them where this does not look. */
function importedFunctions(graph: HeapGraph, instanceId: number): number[] {
  let level = [instanceId];
  for (let depth = 0; depth < IMPORT_HOLDER_DEPTH; depth++) {
    for (const id of level) {
      const refs = graph.edges(id).filter((e) => IMPORT_REFS.includes(e.toName));
      if (refs.length > 0) return refs.flatMap((ref) => closuresUnder(graph, ref.to).slice(0, 1));
    }
    // Only V8's internal objects lead there (never the program's objects or functions).
    level = level.flatMap((id) =>
      graph
        .edges(id)
        .filter((e) => isInternal(graph, e.to))
        .map((e) => e.to),
    );
  }
  return [];
}

const closuresUnder = (graph: HeapGraph, id: number): number[] =>
  graph
    .edges(id)
    .filter((e) => graph.node(e.to)?.type === 'closure')
    .map((e) => e.to);

const isInternal = (graph: HeapGraph, id: number): boolean => ['hidden', 'array'].includes(graph.node(id)?.type ?? '');

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
