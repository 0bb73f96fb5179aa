// What a WebAssembly instance made again from its module starts with, learned from a twin: the same
// module instantiated at capture with imports that are never called (a module with a start
// function is refused before, so instantiating runs nothing). A restored instance starts as the
// twin did, so only what differs from the twin needs carrying: a global the instance keeps to
// itself that changed is given its value in the module it is made from; a table carries only the
// entries the program changed; a function
// the instance does not export is found again at a table slot that holds it from the start.
import type { WasmApi, WasmInstance, WasmModule, WasmTable } from '../../heap/webassembly-api';
import { VALUE_TYPES, type GlobalValue } from '../../heap/wasm-binary';

/** What reading a twin takes of the introspector: the inspector's views of an instance. */
export interface TwinReader {
  internals(value: object): Record<string, unknown>;
}

/** An instance's functions by index ([[Functions]]: imports first), and its globals by name ([[Globals]]). */
interface InstanceView {
  functions: unknown[];
  /** Each function's index. */
  indexOf: Map<unknown, number>;
  globals: Record<string, unknown>;
}

/** A table entry that differs from the one a new instance starts with. */
export interface TableChange {
  index: number;
  value: unknown;
}

export class InstanceTwins {
  private readonly views = new Map<WasmInstance, InstanceView>();
  private readonly twins = new Map<WasmInstance, { instance: WasmInstance; view: InstanceView }>();

  constructor(
    private readonly wasm: WasmApi,
    private readonly reader: TwinReader,
    private readonly exportsOf: (instance: WasmInstance) => Record<string, unknown>,
    private readonly tableEntry: (table: WasmTable, index: number) => unknown,
    private readonly tableLength: (table: WasmTable) => number,
  ) {}

  /** Whether an instance is a twin made here (not the program's). */
  isTwin(instance: WasmInstance): boolean {
    return [...this.twins.values()].some((twin) => twin.instance === instance);
  }

  /**
   * The globals the instance does not export whose values are not the ones it started with: the
   * instance is made again from a copy of its module that starts them with these. A string when
   * one cannot be (a global of a reference or vector type).
   */
  hiddenGlobalValues(instance: WasmInstance, module: WasmModule): GlobalValue[] | string {
    const exported = new Set(
      Object.entries(this.exportsOf(instance))
        .filter(([, value]) => value instanceof this.wasm.Global)
        .map(([name]) => `$${name}`),
    );
    const live = this.view(instance).globals;
    const names = Object.keys(live);
    if (names.every((name) => exported.has(name))) return [];
    const twin = this.twin(instance, module).view.globals;
    const values: GlobalValue[] = [];
    for (const [index, name] of names.entries()) {
      const { type, value } = globalEntry(live[name]);
      if (exported.has(name) || Object.is(value, globalEntry(twin[name]).value)) continue;
      if (VALUE_TYPES[type] === undefined || (typeof value !== 'number' && typeof value !== 'bigint'))
        return `its global ${name} (${type}), which it does not export, changed (not carried yet)`;
      values.push({ index, type: VALUE_TYPES[type], value });
    }
    return values;
  }

  /** The entries of an instance's exported table that differ from what a new instance's table holds. */
  tableChanges(instance: WasmInstance, module: WasmModule, name: string): TableChange[] {
    const table = this.exportsOf(instance)[name] as WasmTable;
    const twinTable = this.exportsOf(this.twin(instance, module).instance)[name] as WasmTable;
    const changes: TableChange[] = [];
    for (let index = 0, length = this.tableLength(table); index < length; index++) {
      const value = this.tableEntry(table, index);
      if (!this.asFromTheStart(instance, module, table, twinTable, index)) changes.push({ index, value });
    }
    return changes;
  }

  /**
   * Where a function of the instance that it does not export is found again: the slot of one of
   * its exported tables that holds it from the start (and still does). Undefined if none does.
   */
  tableSlotOf(instance: WasmInstance, module: WasmModule, fn: unknown): { table: string; index: number } | undefined {
    if (!this.view(instance).indexOf.has(fn)) return undefined;
    for (const [name, value] of Object.entries(this.exportsOf(instance))) {
      if (!(value instanceof this.wasm.Table)) continue;
      const twinTable = this.exportsOf(this.twin(instance, module).instance)[name] as WasmTable;
      for (let index = 0, length = this.tableLength(value); index < length; index++) {
        if (this.tableEntry(value, index) === fn && this.asFromTheStart(instance, module, value, twinTable, index))
          return { table: name, index };
      }
    }
    return undefined;
  }

  /** Whether the instance's own function a new instance has there (or null) is at this slot. */
  private asFromTheStart(
    instance: WasmInstance,
    module: WasmModule,
    table: WasmTable,
    twinTable: WasmTable,
    index: number,
  ): boolean {
    const value = this.tableEntry(table, index);
    if (index >= this.tableLength(twinTable)) return false;
    const fresh = this.tableEntry(twinTable, index);
    if (value === null || fresh === null) return value === fresh;
    const at = this.view(instance).indexOf.get(value);
    return at !== undefined && this.twin(instance, module).view.functions[at] === fresh;
  }

  private view(instance: WasmInstance): InstanceView {
    let view = this.views.get(instance);
    if (!view) {
      const slots = this.reader.internals(instance);
      const functions = Object.values(entries(slots['[[Functions]]']));
      view = { functions, indexOf: new Map(functions.map((fn, i) => [fn, i])), globals: entries(slots['[[Globals]]']) };
      this.views.set(instance, view);
    }
    return view;
  }

  private twin(instance: WasmInstance, module: WasmModule): { instance: WasmInstance; view: InstanceView } {
    let twin = this.twins.get(instance);
    if (!twin) {
      const stubs: Record<string, Record<string, unknown>> = {};
      for (const d of this.wasm.Module.imports(module)) (stubs[d.module] ??= {})[d.name] = NEVER_CALLED;
      const made = new this.wasm.Instance(module, stubs);
      twin = { instance: made, view: this.view(made) };
      this.twins.set(instance, twin);
    }
    return twin;
  }
}

/** An inspector view of an instance: its entries by name (in index order). */
function entries(view: unknown): Record<string, unknown> {
  return typeof view === 'object' && view !== null ? (view as Record<string, unknown>) : {};
}

/** A global in the inspector's view: its type and value. */
function globalEntry(entry: unknown): { type: string; value: unknown } {
  return typeof entry === 'object' && entry !== null
    ? (entry as { type: string; value: unknown })
    : { type: '', value: entry };
}

/** The import a twin is given: never called (instantiating calls nothing without a start function). */
function NEVER_CALLED(): never {
  throw new Error('ferry: a stand-in import was called');
}
