// The offline heap browser over hand-made records: what each kind shows under it, by name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HeapBrowser } from './heap';
import { HOLE, Ref, type Common, type HeapRecord } from '../../snapshot/heap/decoder';
import { A, Integrity, K } from '../../snapshot/heap/tags';
import { builtinPath } from '../../snapshot/heap/builtins';

const plain = (props: Common['props'] = []): Common => ({ proto: new Ref(0), integrity: Integrity.Extensible, props });

const records: HeapRecord[] = [
  { kind: K.Builtin, path: builtinPath('global:Object', 'prototype') },
  { kind: K.Array, length: 3, elements: [1, HOLE, 'c'], ...plain([{ key: 'extra', flags: A.Default, value: true }]) },
  { kind: K.Map, entries: ['k', 2], ...plain() },
  { kind: K.Function, site: 0, context: new Ref(4), ...plain() },
  { kind: K.Context, description: 'Closure', parent: null, names: ['n'], values: [5] },
  {
    kind: K.Promise,
    state: 0,
    result: undefined,
    reactions: [{ onFulfilled: new Ref(3), onRejected: undefined, derived: null }],
    ...plain(),
  },
  {
    kind: K.Timer,
    callback: new Ref(3),
    args: ['x'],
    remaining: 5,
    duration: 10,
    repeat: 0,
    refed: true,
    cleared: false,
    running: false,
  },
  { kind: K.BoundFunction, target: new Ref(3), boundThis: null, args: [7], ...plain() },
  { kind: K.Object, ...plain(), proto: new Ref(1) },
];
const browser = new HeapBrowser(
  records,
  [{ scriptId: '9', line: 2, column: 4, source: 'function f() {}' }],
  [{ scriptId: '9', url: 'file:///app/f.js', source: '\n\n    function f() {}' }],
);
const shown = (id: number) => browser.children(browser.reference(id)).map((v) => [v.name, v.value]);

test('each kind shows its own slots, then its properties and a prototype of the program', () => {
  assert.deepEqual(shown(1), [
    ['0', '1'],
    ['2', '"c"'],
    ['extra', 'true'],
  ]);
  assert.deepEqual(shown(2), [['{"k"}', '2']]);
  assert.deepEqual(shown(3), [
    ['[[FunctionLocation]]', '"file:///app/f.js:3:5"'],
    ['[[Scopes]]', 'Closure Closure'],
  ]);
  assert.deepEqual(shown(4), [
    ['n', '5'],
    ['[[Parent]]', 'null'],
  ]);
  assert.deepEqual(shown(5), [
    ['[[PromiseResult]]', 'undefined'],
    ['[[Reaction 0]] onFulfilled', 'ƒ function f() {}'],
    ['[[Reaction 0]] onRejected', 'undefined'],
  ]);
  assert.deepEqual(shown(6), [
    ['callback', 'ƒ function f() {}'],
    ['args[0]', '"x"'],
  ]);
  assert.deepEqual(shown(7), [
    ['[[TargetFunction]]', 'ƒ function f() {}'],
    ['[[BoundThis]]', 'null'],
    ['[[BoundArgs]][0]', '7'],
  ]);
  assert.deepEqual(shown(8), [['[[Prototype]]', 'Array(3)']]);
});
