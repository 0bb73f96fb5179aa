// The part of the WebAssembly JavaScript API Ferry uses, typed here: the project's `lib` has no
// WebAssembly declarations. Read from the global object, where a runtime without it has none.

export interface WasmModule {
  readonly brand?: 'WebAssembly.Module';
}
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export interface WasmTable {
  readonly length: number;
  get(index: number): unknown;
  set(index: number, value: unknown): void;
  grow(count: number): number;
}
export interface WasmGlobal {
  value: unknown;
}

type Constructor<T, A extends unknown[]> = { new (...args: A): T; readonly prototype: T };

export interface WasmApi {
  Module: Constructor<WasmModule, [Uint8Array]> & {
    imports(module: WasmModule): Array<{ module: string; name: string; kind: string }>;
    exports(module: WasmModule): Array<{ name: string; kind: string }>;
  };
  Instance: Constructor<WasmInstance, [WasmModule, Record<string, Record<string, unknown>>]>;
  Memory: Constructor<WasmMemory, never>;
  Table: Constructor<WasmTable, never>;
  Global: Constructor<WasmGlobal, never>;
}

/** The runtime's WebAssembly namespace, if it has one. */
export function webAssemblyApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

/** The size of a memory page. */
export const WASM_PAGE = 65536;
