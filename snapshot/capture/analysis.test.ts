// Which names only ever hold a function or class their own scope made (ScriptFacts.freshValueNames):
// a name bound any other way anywhere in the script, or reassigned, is not one, and no name is
// when a direct eval or a `with` may bind what the text does not show.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeScript } from './analysis';

const own = (source: string) => analyzeScript(source)?.freshValueNames.sort();

test('declarations and variables initialised with a function, class, object or array literal are their scope own', () => {
  assert.deepEqual(own('function f() {} class C {} const a = () => 1; let b = function () {}; var c = class {};'), [
    'C',
    'a',
    'b',
    'c',
    'f',
  ]);
  assert.deepEqual(own('const o = { m() {} }; let list = []; const made = new Map(); const copy = o;'), ['list', 'o']);
});

test('a name bound another way anywhere, or reassigned, is not', () => {
  assert.deepEqual(own('function f() {} function g(f) {}'), ['g']);
  assert.deepEqual(own('const f = function f() {};'), []);
  assert.deepEqual(own('function f() {} try {} catch (f) {}'), []);
  assert.deepEqual(own('function f() {} const { f: x } = {}; let y = 1;'), ['f']);
  assert.deepEqual(own('const f = () => 1; const g = f;'), ['f']);
  assert.deepEqual(own('function f() {} f = null;'), []);
});

test('a direct eval or a with leaves none', () => {
  assert.deepEqual(own('function f() { eval("var f = 1"); }'), []);
  assert.deepEqual(own('function f() {} with ({}) {}'), []);
});

test('a sloppy function whose `arguments` is written or handed on has its parameters aliased', () => {
  const aliased = (source: string) => analyzeScript(source)?.aliasedParameters.sort();
  assert.deepEqual(aliased('function f(a, b) { arguments[0] = 2; }'), ['a', 'b']);
  assert.deepEqual(aliased('function f(a) { [].shift.call(arguments); }'), ['a']);
  assert.deepEqual(aliased('function f(a) { const args = arguments; }'), ['a']);
  assert.deepEqual(aliased('function f(a) { arguments[0]++; }'), ['a']);
  assert.deepEqual(aliased('function f(a) { return () => g(arguments); }'), ['a']);
  // Reads of its length or elements, or a spread, assign nothing.
  assert.deepEqual(aliased('function f(a) { return arguments.length + arguments[0] + g(...arguments); }'), []);
  // Strict code, and non-simple parameter lists, map none.
  assert.deepEqual(aliased('"use strict"; function f(a) { arguments[0] = 2; }'), []);
  assert.deepEqual(aliased('function f(a) { "use strict"; g(arguments); }'), []);
  assert.deepEqual(aliased('class C { m(a) { g(arguments); } }'), []);
  assert.deepEqual(aliased('function f(a = 1) { g(arguments); }'), []);
  assert.deepEqual(aliased('export function f(a) { g(arguments); }'), []);
});

test('a direct eval or a with hides bindings; an indirect eval does not', () => {
  const hides = (source: string) => analyzeScript(source)?.hidesBindings;
  assert.equal(hides('function f() { eval("x = 1"); }'), true);
  assert.equal(hides('with ({}) {}'), true);
  assert.equal(hides('(0, eval)("x = 1"); const e = eval; e("1");'), false);
});

test("places are V8's for a script compiled from a line and column on (a restored program's code)", () => {
  const arrows = (source: string, origin?: { line: number; column: number }) =>
    analyzeScript(source, origin)?.lexicalThisArrows;
  assert.deepEqual(arrows('const f = () => this;'), ['0:10']);
  assert.deepEqual(arrows('const f = () => this;', { line: 10, column: 4 }), ['10:14']);
  assert.deepEqual(arrows('0;\nconst f = () => this;', { line: 10, column: 4 }), ['11:10']);
});
