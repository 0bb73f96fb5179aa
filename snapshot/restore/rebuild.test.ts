// rebuildHeap on records made by hand, in this process: no capture, no checkpoint file. Each object
// comes back with its prototype, properties, elements (holes included), entries and identity.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rebuildHeap } from './rebuild';
import { HOLE, Ref, type Common, type HeapRecord, type Property } from '../heap/decoder';
import { A, Integrity, K } from '../heap/tags';
import { builtinPath } from '../heap/builtins';
import type { FunctionSite, SourceEntry } from '../format/sections';
import type { ProgramValue } from '../heap/program-value';

const getBuiltin = (process as ProgramValue).getBuiltinModule as (name: string) => ProgramValue;

/** Record ids, by name: each hand-made record refers to the others through them. */
const ID = {
  roots: 0,
  objectPrototype: 1,
  arrayPrototype: 2,
  array: 3,
  map: 4,
  set: 5,
  first: 6,
  second: 7,
  date: 8,
  boxed: 9,
  max: 10,
  symbol: 11,
  frozen: 12,
  add: 13,
  context: 14,
  functionPrototype: 15,
} as const;

const ref = (name: keyof typeof ID) => new Ref(ID[name]);
const prop = (key: string | Ref, value: unknown, flags = A.Default): Property => ({ key, flags, value });
const plain = (props: Property[], proto: unknown = ref('objectPrototype')): Common => ({
  proto,
  integrity: Integrity.Extensible,
  props,
});

const SOURCE = 'const base = 40;\nfunction add(x) {\n  return x + base;\n}\n';
const sources: SourceEntry[] = [{ scriptId: '7', url: 'file:///hand-made/add.js', source: SOURCE }];
const sites: FunctionSite[] = [
  { scriptId: '7', line: 1, column: 0, source: 'function add(x) {\n  return x + base;\n}' },
];

function handMadeRecords(): HeapRecord[] {
  const records: HeapRecord[] = [];
  const names = Object.keys(ID) as Array<keyof typeof ID>;
  records[ID.roots] = {
    kind: K.Object,
    ...plain(names.filter((name) => name !== 'roots').map((name) => prop(name, ref(name)))),
  };
  records[ID.objectPrototype] = { kind: K.Builtin, path: builtinPath('global:Object', 'prototype') };
  records[ID.arrayPrototype] = { kind: K.Builtin, path: builtinPath('global:Array', 'prototype') };
  records[ID.functionPrototype] = { kind: K.Builtin, path: builtinPath('global:Function', 'prototype') };
  records[ID.array] = {
    kind: K.Array,
    length: 5,
    elements: [1, HOLE, 'three', ref('first'), HOLE],
    ...plain([prop('extra', true)], ref('arrayPrototype')),
  };
  records[ID.map] = {
    kind: K.Map,
    entries: ['key', ref('first'), ref('second'), 2n],
    ...plain([], null),
  };
  records[ID.set] = { kind: K.Set, entries: [ref('second'), 'member'], ...plain([], null) };
  // A cycle: first holds itself and second, second holds first back.
  records[ID.first] = { kind: K.Object, ...plain([prop('self', ref('first')), prop('next', ref('second'))]) };
  records[ID.second] = {
    kind: K.Object,
    ...plain([prop('back', ref('first')), prop(ref('symbol'), 'by symbol', A.Enumerable)]),
  };
  records[ID.date] = { kind: K.Date, time: 1700000000000, ...plain([], null) };
  records[ID.boxed] = { kind: K.Boxed, type: 'Number', value: 7, ...plain([prop('unit', 'ms')], null) };
  records[ID.max] = { kind: K.Builtin, path: builtinPath('global:Math', 'max') };
  records[ID.symbol] = { kind: K.Symbol, form: 0, text: 'tag' };
  records[ID.frozen] = {
    kind: K.Object,
    ...plain([prop('fixed', 1, A.Enumerable)]),
    integrity: Integrity.Frozen,
  };
  records[ID.add] = {
    kind: K.Function,
    site: 0,
    context: ref('context'),
    ...plain([prop('name', 'add', A.Configurable), prop('length', 1, A.Configurable)], ref('functionPrototype')),
  };
  records[ID.context] = { kind: K.Context, description: 'Script', parent: null, names: ['base'], values: [40] };
  return records;
}

describe('rebuildHeap on hand-made records', () => {
  const heap = rebuildHeap({ records: handMadeRecords(), rootId: ID.roots, sites, sources, getBuiltin });
  const root = heap.root as Record<keyof typeof ID, ProgramValue>;

  it('makes every record, the root holding them', () => {
    assert.equal(heap.objects.length, Object.keys(ID).length);
    assert.equal(root.array, heap.objects[ID.array]);
    assert.equal(Object.getPrototypeOf(root), Object.prototype);
  });

  it('an array: its elements, its holes, its own property, its prototype', () => {
    const array = root.array as unknown[] & { extra?: boolean };
    assert.equal(array.length, 5);
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((i) => i in array),
      [true, false, true, true, false],
    );
    assert.deepEqual([array[0], array[2], array[3]], [1, 'three', root.first]);
    assert.equal(array.extra, true);
    assert.equal(Object.getPrototypeOf(array), Array.prototype);
  });

  it('a Map and a Set: their entries in order, keys and values of any kind', () => {
    const map = root.map as Map<unknown, unknown>;
    assert.equal(Object.getPrototypeOf(map), null); // as its record says
    assert.deepEqual(
      [...Map.prototype.entries.call(map)],
      [
        ['key', root.first],
        [root.second, 2n],
      ],
    );
    assert.deepEqual([...Set.prototype.values.call(root.set)], [root.second, 'member']);
  });

  it('a cycle: each object is one object, wherever it is reached from', () => {
    assert.equal(root.first.self, root.first);
    assert.equal(root.first.next, root.second);
    assert.equal(root.second.back, root.first);
  });

  it('a symbol-keyed property keeps its symbol and attributes', () => {
    const symbol = heap.objects[ID.symbol] as symbol;
    assert.equal(symbol.description, 'tag');
    assert.deepEqual(Object.getOwnPropertyDescriptor(root.second, symbol), {
      value: 'by symbol',
      writable: false,
      enumerable: true,
      configurable: false,
    });
  });

  it('a Date and a boxed primitive, with their own properties', () => {
    assert.equal(Date.prototype.getTime.call(root.date), 1700000000000);
    assert.equal(Number.prototype.valueOf.call(root.boxed), 7);
    assert.equal(typeof root.boxed, 'object');
    assert.equal(root.boxed.unit, 'ms');
    assert.equal(Object.getPrototypeOf(root.boxed), null); // as its record says, not Number.prototype
  });

  it('a built-in is the runtime’s own, not a copy', () => assert.equal(root.max, Math.max));

  it('a frozen object is frozen again, once filled', () => {
    assert.ok(Object.isFrozen(root.frozen));
    assert.equal(root.frozen.fixed, 1);
  });

  it('a function is re-created in its context, with its captured variables', () => {
    assert.equal(typeof root.add, 'function');
    assert.equal(root.add(2), 42);
    assert.equal(root.add.name, 'add');
  });

  it('activates no handle when there is none', () => {
    assert.doesNotThrow(() => heap.activate());
  });
});
