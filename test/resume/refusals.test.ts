// Refusals: each names the frame, the place, the offending sub-expression and what to do instead.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { generateResumeVariant, ResumeRefusal, type FrameRole } from '../../snapshot/resume/index';

/** Location of the first `marker` (the text V8 reports for that shape) in `source`, 0-based. */
function at(source: string, marker: string, skip = 0): { line: number; column: number } {
  const index = source.indexOf(marker, skip);
  assert.ok(index >= 0, `marker ${marker} not found`);
  const before = source.slice(0, index).split('\n');
  return { line: before.length - 1, column: before[before.length - 1].length };
}

function refusal(
  source: string,
  location: { line: number; column: number },
  role: FrameRole,
  nativeCallback?: string,
): string {
  try {
    generateResumeVariant({ source, location, role, nativeCallback, url: 'file:///app/main.js', frameIndex: 1 });
  } catch (error) {
    assert.ok(error instanceof ResumeRefusal);
    return error.message;
  }
  assert.fail('expected a refusal');
}

const STEP = 'step to the next statement (or out of this call) and checkpoint there, or checkpoint at idle';
const STEP_OUT = 'step out of this function and checkpoint there, or checkpoint at idle';

test('a call evaluated before the pending one is refused (it would run twice)', () => {
  const src = `function fib(n) {\n  return fib(n - 1) + fib(n - 2);\n}\n`;
  assert.equal(
    refusal(src, at(src, 'fib(n - 2)'), 'caller'),
    `frame 1 (fib) at main.js:2:23: \`fib(n - 1)\` (2:10) was evaluated before the pending \`fib(n - 2)\` and cannot be evaluated again: it has already run and has side effects it would repeat; ${STEP}`,
  );
});

test('a variable a callee may assign, read before the pending call, is refused', () => {
  const src = `let total = 0;\nfunction add(n) { total += n; return n; }\nfunction run() {\n  return total + add(2);\n}\n`;
  assert.equal(
    refusal(src, at(src, 'add(2)'), 'caller'),
    `frame 1 (run) at main.js:4:18: \`total\` (4:10) was evaluated before the pending \`add(2)\` and cannot be evaluated again: it \`total\` is assigned by code that may run in a callee before the checkpoint, so reading it again may not give the value used; ${STEP}`,
  );
});

test('a property a callee may change, read before the pending call, is refused', () => {
  const src = `function bump(o) { o.count++; return 1; }\nfunction run(o) {\n  const v = o.count * bump(o);\n  return v;\n}\n`;
  assert.equal(
    refusal(src, at(src, 'bump(o);'), 'caller'),
    `frame 1 (run) at main.js:3:23: \`o.count\` (3:13) was evaluated before the pending \`bump(o)\` and cannot be evaluated again: it this property may be changed by a callee before the checkpoint, so reading it again may not give the value used; ${STEP}`,
  );
});

test('spread evaluated before the pending call is refused (iteration is not repeatable)', () => {
  const src = `function f(xs) {\n  return [...xs, g()];\n}\n`;
  assert.equal(
    refusal(src, at(src, 'g()'), 'caller'),
    `frame 1 (f) at main.js:2:18: \`...xs\` (2:11) was evaluated before the pending \`g()\` and cannot be evaluated again: it has already been iterated (spreading runs an iterator); ${STEP}`,
  );
});

test('the innermost frame paused mid-statement after a call ran is refused', () => {
  const src = `function f() {\n  const x = a() + b();\n  return x;\n}\n`;
  assert.equal(
    refusal(src, at(src, 'b()'), 'innermost'),
    `frame 1 (f) at main.js:2:19: \`a()\` (2:13) was evaluated before the paused position and cannot be evaluated again: it has already run and has side effects it would repeat; ${STEP}`,
  );
});

test('callbacks of built-ins whose progress is internal are refused', () => {
  const src = `function f(xs) {\n  return xs.sort((a, b) => cmp(a, b));\n}\n`;
  assert.equal(
    refusal(src, at(src, 'sort('), 'caller', 'sort'),
    `frame 1 (f) at main.js:2:13: the inner frame is a callback run by the built-in \`sort\`, which keeps its progress where no debugger can read it; ${STEP_OUT}`,
  );
});

test('map with a callback that has side effects is refused (its partial result is invisible)', () => {
  const src = `function f(xs) {\n  return xs.map((x) => log(x));\n}\n`;
  assert.equal(
    refusal(src, at(src, 'map('), 'caller', 'map'),
    `frame 1 (f) at main.js:2:13: the inner frame is a callback run by \`map\`, whose partly built result array is invisible; it could only be recomputed from a side-effect-free inline callback, and \`(x) => log(x)\` is not one; ${STEP_OUT}`,
  );
});

test('a setter whose assignment value is used is refused', () => {
  const src = `function f(o) {\n  return (o.v = 3);\n}\n`;
  assert.equal(
    refusal(src, at(src, '= 3'), 'caller'),
    `frame 1 (f) at main.js:2:15: the pending call is a setter whose assignment \`o.v = 3\` is used as a value; ${STEP}`,
  );
});

test('default parameters, class field initializers and yield* are refused', () => {
  const params = `function f(a = g()) {\n  return a;\n}\n`;
  assert.equal(
    refusal(params, at(params, 'g()'), 'caller'),
    `frame 1 (f) at main.js:1:16: the frame is still evaluating its default parameter values; ${STEP_OUT}`,
  );
  const field = `class A {\n  x = make();\n}\n`;
  assert.equal(
    refusal(field, at(field, 'make()'), 'caller'),
    `frame 1 (top) at main.js:2:7: the frame is a class field initializer or static block, which V8 runs as a hidden function that cannot be re-entered; ${STEP_OUT}`,
  );
  const star = `function* g() {\n  yield* other();\n}\n`;
  assert.equal(
    refusal(star, at(star, 'yield*'), 'suspended'),
    'frame 1 (g) at main.js:2:3: the generator is suspended inside `yield*`, whose delegate iterator cannot be re-attached without resuming it; checkpoint at idle instead',
  );
});

test('a derived constructor paused in super() of a class with fields is refused', () => {
  const src = `class B extends A {\n  y = 1;\n  constructor() {\n    super();\n  }\n}\n`;
  assert.equal(
    refusal(src, at(src, 'super()'), 'caller'),
    `frame 1 (constructor) at main.js:4:5: the derived class declares fields, which V8 initializes right after super() returns; the restored constructor cannot run them in its place; ${STEP_OUT}`,
  );
});

test('paused inside a finally block is refused (the completion that entered it is invisible)', () => {
  const src = `function f() {\n  try { g(); } finally {\n    h();\n  }\n}\n`;
  assert.equal(
    refusal(src, at(src, 'h()'), 'innermost'),
    `frame 1 (f) at main.js:3:5: paused inside a finally block: the completion that entered it (normal, return, throw or break) is not observable; ${STEP}`,
  );
});

test('a for-of whose position would be read through a name its body hides is refused', () => {
  // The loop's variable, hidden by a block of its body.
  const item = `function f(xs) {\n  for (const x of xs) {\n    { const x = 1;\n      g(x); }\n  }\n}\n`;
  assert.equal(
    refusal(item, at(item, 'g(x)'), 'caller'),
    `frame 1 (f) at main.js:4:7: the loop at 2:3 finds its position by reading \`x\`, which a declaration inside it hides here; ${STEP}`,
  );
  // The iterated array's name, declared again by the body (read there, it is undefined).
  const list = `function f(xs) {\n  for (const x of xs) {\n    let xs;\n    g(x);\n  }\n}\n`;
  assert.equal(
    refusal(list, at(list, 'g(x)'), 'caller'),
    `frame 1 (f) at main.js:4:5: the loop at 2:3 finds its position by reading \`xs\`, which a declaration inside it hides here; ${STEP}`,
  );
  // Outside the hiding block, the loop's own variable is the one in scope.
  const outside = `function f(xs) {\n  for (const x of xs) {\n    g(x);\n    { const x = 1; h(x); }\n  }\n}\n`;
  assert.doesNotThrow(() =>
    generateResumeVariant({
      source: outside,
      location: at(outside, 'g(x)'),
      role: 'caller',
      url: 'file:///app/main.js',
      frameIndex: 1,
    }),
  );
});

test('a named function expression carries its own name only when its code reads it', () => {
  const bindings = (src: string) =>
    generateResumeVariant({
      source: src,
      location: at(src, 'g()'),
      role: 'caller',
      url: 'file:///app/main.js',
      frameIndex: 1,
    }).functionBindings.filter((b) => b.kind === 'self');
  assert.deepEqual(bindings(`const f = function named(n) {\n  return g() + n;\n};\n`), []);
  assert.deepEqual(bindings(`const f = function named(n) {\n  return g() + (n && named(n - 1));\n};\n`), [
    { name: 'named', kind: 'self' },
  ]);
  assert.deepEqual(bindings(`const f = function named(n) {\n  g();\n  return () => named;\n};\n`), [
    { name: 'named', kind: 'self' },
  ]);
});

test('a caller waiting on `new Promise` for its executor is refused (its result is the promise)', () => {
  const src = `function render(name) {\n  return new Promise((resolve) => {\n    setTimeout(() => resolve(name), 10);\n  });\n}\n`;
  assert.equal(
    refusal(src, at(src, 'new Promise'), 'caller'),
    'frame 1 (render) at main.js:2:10: the inner frame is the executor of this `new Promise`, whose promise the resumed caller could not be given; step out of the executor and checkpoint there, or checkpoint at idle',
  );
});
