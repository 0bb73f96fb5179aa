// What the stepping and the runtime frames of a Checkpoint Here decide on source alone: whether a
// frame of Node's only returns once its call returns (it then needs no resuming), whether an await's
// value is used, and whether a step stopped part way through a statement.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { awaitValueUnused, tailCallAt } from '../../snapshot/resume/tail-call';
import { operationPendingAt } from '../../snapshot/resume/index';

/** Location of the first `marker` in `source`, 0-based. */
function at(source: string, marker: string): { line: number; column: number } {
  const index = source.indexOf(marker);
  assert.ok(index >= 0, `marker ${marker} not found`);
  const before = source.slice(0, index).split('\n');
  return { line: before.length - 1, column: before[before.length - 1].length };
}

test('a call that ends its function is a tail: its value returned, or dropped', () => {
  const src = [
    'function a(cb) { prepare(); cb(null); }',
    'function b(cb) { return cb(1); }',
    'const c = (cb) => cb(2);',
    'function d(cb, x) { if (x) { cb(3); return; } }',
    'function e(cb) { label: { cb(4); } }',
  ].join('\n');
  assert.equal(tailCallAt(src, at(src, 'cb(null)')), 'nothing');
  assert.equal(tailCallAt(src, at(src, 'cb(1)')), 'value');
  assert.equal(tailCallAt(src, at(src, 'cb(2)')), 'value');
  assert.equal(tailCallAt(src, at(src, 'cb(3)')), 'nothing');
  assert.equal(tailCallAt(src, at(src, 'cb(4)')), 'nothing');
});

test('a call with anything after it is not a tail', () => {
  const src = [
    'function a(cb) { cb(null); done(); }',
    'function b(list) { for (const f of list) f(); }',
    'function c(cb) { try { cb(); } finally { after(); } }',
    'function d(cb) { try { return cb(); } catch (e) { report(e); } }',
    'function e(cb) { const r = cb(); return r; }',
    'function f(cb) { return wrap(cb()); }',
    'function g(x, cb) { switch (x) { case 1: cb(); } }',
  ].join('\n');
  for (const marker of ['cb(null)', 'f()', 'cb(); }', 'cb(); } catch', 'cb(); return', 'cb())', 'cb(); } }'])
    assert.equal(tailCallAt(src, at(src, marker)), undefined, marker);
});

test('an await is unused only as a statement of its own', () => {
  const src = 'async function f() {\n  await sleep(1);\n  const x = await load();\n  return (await other()) + 1;\n}';
  assert.equal(awaitValueUnused(src, at(src, 'await sleep')), true);
  assert.equal(awaitValueUnused(src, at(src, 'await load')), false);
  assert.equal(awaitValueUnused(src, at(src, 'await other')), false);
});

test('a step that stops at a call of a statement stopped past its operands', () => {
  const src = 'function f(n) {\n  const a = n + 1;\n  show(note(a), second(n));\n}';
  assert.equal(operationPendingAt(src, at(src, 'const a')), false);
  assert.equal(operationPendingAt(src, at(src, 'show(')), true);
  assert.equal(operationPendingAt(src, at(src, 'second(')), true);
});
