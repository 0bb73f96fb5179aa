// Which variables a closure assigns (an enclosing function declares them) and which only their own
// function's code does: the latter are frozen once no run of that function is live.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'acorn';
import { closureAssignedVariables } from './closure-assignments';

const parsed = (source: string, sourceType: 'module' | 'script' = 'module') =>
  parse(source, { ecmaVersion: 'latest', sourceType, locations: true });

/** The names closures assign, each with the text of the scope declaring it (its first 12 characters). */
const byClosures = (source: string) =>
  closureAssignedVariables(parsed(source), [])
    ?.map(({ name, scope: [, from, , to] }) => `${name} in ${source.slice(from, Math.min(to, from + 12))}`)
    .sort();

test("a function's own code assigning its own variables is no closure's", () => {
  assert.deepEqual(byClosures('function f(a) { let b = 1; a = 2; b++; for (var i = 0; i < 3; i++) {} }'), []);
  assert.deepEqual(byClosures('function f() { if (x) { var v; } v = 1; [v] = [2]; ({ v } = {}); }'), []);
  assert.deepEqual(byClosures('let top = 1; top = 2;'), []);
});

test('a nested function assigning a variable of an enclosing one is', () => {
  assert.deepEqual(byClosures('function f() { let n = 0; return () => n++; }'), ['n in { let n = 0;']);
  assert.deepEqual(byClosures('function f() { let a; function g() { [a] = [1]; } }'), ['a in { let a; fun']);
  assert.deepEqual(byClosures('let top; function set(v) { top = v; }'), ['top in let top; fun']);
  assert.deepEqual(byClosures('function f() { let x; function g() { for (x of []) ; } }'), ['x in { let x; fun']);
  assert.deepEqual(byClosures('function f(p) { return () => { p = 1; }; }'), ['p in { return () ']);
});

test("a block's `let` covers only that block: the assignment after it reaches the outer variable", () => {
  assert.deepEqual(byClosures('let n; function f() { { let n = 1; } n = 5; }'), ['n in let n; funct']);
  assert.deepEqual(byClosures('let n; function f() { { let n = 1; n = 5; } }'), []);
  assert.deepEqual(byClosures('let e; function f() { try {} catch (e) { e = 1; } }'), []);
  assert.deepEqual(byClosures('let e; function f() { try {} catch (e) {} e = 1; }'), ['e in let e; funct']);
  assert.deepEqual(byClosures('function f() { let n; { let n; return () => n++; } }'), ['n in { let n; ret']);
});

test("a function declared in a block: sloppy code also binds it in the enclosing function's scope", () => {
  assert.deepEqual(byClosures('function f() { { function g() {} } return (v) => { g = v; }; }'), ['g in { { function']);
  assert.deepEqual(byClosures('function f() { { function g() {} } g = 1; }'), []);
});

test('field initializers and static blocks run as functions of their own', () => {
  assert.deepEqual(byClosures('function f() { let a; class C { x = (a = 1); } }'), ['a in { let a; cla']);
  assert.deepEqual(byClosures('function f() { let a; class C { static { a = 1; } } }'), ['a in { let a; cla']);
});

test("a function using `arguments` leaves its parameters to whoever holds it; an arrow's is the enclosing one", () => {
  assert.deepEqual(byClosures('function f(a, b) { return arguments; }'), ['a in { return arg', 'b in { return arg']);
  assert.deepEqual(byClosures('function f(a) { return () => arguments; }'), ['a in { return () ']);
  assert.deepEqual(byClosures('function f(a) { return a; }'), []);
});

test('a direct eval or a with: the text cannot tell', () => {
  assert.equal(byClosures('function f(a) { eval("a = 1"); }'), undefined);
  assert.equal(closureAssignedVariables(parsed('with (o) { x = 1; }', 'script'), []), undefined);
});
