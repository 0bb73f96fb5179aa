// A module's globals given other first values: the copy compiles, its globals start with them (of
// each value type, negative and large ones too), and the original bytes are left as they were.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sectionIds, VALUE_TYPES, withGlobalValues } from './wasm-binary';

type Wasm = {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, () => number | bigint> };
};
const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;

const section = (id: number, ...items: number[][]) => {
  const body = [items.length, ...items.flat()];
  return [id, body.length, ...body];
};
const text = (s: string) => [s.length, ...Buffer.from(s)];
// Four mutable globals (i32 5, i64 7, f32 1, f64 1) and a getter for each: g0() ... g3().
const MODULE = new Uint8Array([
  ...[0, 97, 115, 109, 1, 0, 0, 0],
  ...section(1, [96, 0, 1, 127], [96, 0, 1, 126], [96, 0, 1, 125], [96, 0, 1, 124]),
  ...section(3, [0], [1], [2], [3]),
  ...section(
    6,
    [127, 1, 65, 5, 11],
    [126, 1, 66, 7, 11],
    [125, 1, 67, 0, 0, 128, 63, 11],
    [124, 1, 68, 0, 0, 0, 0, 0, 0, 240, 63, 11],
  ),
  ...section(7, ...[0, 1, 2, 3].map((i) => [...text(`g${i}`), 0, i])),
  ...section(10, ...[0, 1, 2, 3].map((i) => [4, 0, 35, i, 11])),
]);

const valuesOf = (bytes: Uint8Array) => {
  const { exports } = new wasm.Instance(new wasm.Module(bytes), {});
  return [exports.g0(), exports.g1(), exports.g2(), exports.g3()];
};

describe('withGlobalValues', () => {
  it('starts the globals it names with their values, the others as they were', () => {
    const original = new Uint8Array(MODULE);
    const patched = withGlobalValues(MODULE, [
      { index: 0, type: VALUE_TYPES.i32, value: -123456789 },
      { index: 1, type: VALUE_TYPES.i64, value: -(2n ** 62n) },
      { index: 3, type: VALUE_TYPES.f64, value: 0.1 },
    ]);
    assert.deepEqual(valuesOf(patched), [-123456789, -(2n ** 62n), 1, 0.1]);
    assert.deepEqual(valuesOf(MODULE), [5, 7n, 1, 1]);
    assert.deepEqual(MODULE, original);
    assert.deepEqual(sectionIds(patched), sectionIds(MODULE));
  });

  it('refuses a value of another type than its global', () => {
    assert.throws(() => withGlobalValues(MODULE, [{ index: 2, type: VALUE_TYPES.i32, value: 1 }]), /not of type/);
  });
});
