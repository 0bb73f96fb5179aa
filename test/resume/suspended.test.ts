// Suspended generators and async functions (not on the stack): the variant resumes at the
// `yield` / `await` V8 reports as [[GeneratorLocation]] (the keyword's start, per
// probe/probe3.ts). Each test runs the original to the suspension point, builds the variant with
// the same bindings, and checks both continue identically.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { generateResumeVariant, type ResumeVariant } from '../../snapshot/resume/index';

function locate(source: string, marker: string): { line: number; column: number } {
  const before = source.slice(0, source.indexOf(marker)).split('\n');
  return { line: before.length - 1, column: before[before.length - 1].length };
}

/** Evaluates the variant in a scope declaring its function-level bindings (the caller's job). */
function instantiate(
  variant: ResumeVariant,
  values: Record<string, unknown>,
): (this: unknown, $ferry: object) => unknown {
  const names = variant.functionBindings.map((b) => b.name);
  assert.deepEqual([...names].sort(), Object.keys(values).sort());
  return new Function(...names, `return ${variant.code};`)(...names.map((n) => values[n])) as never;
}

test('a generator suspended at a yield is primed, then next(v) delivers v to that yield', () => {
  const source = `function* gen(start) {
  let total = start;
  for (let i = 0; i < 4; i++) {
    const got = yield total + i;
    total += got;
  }
  return total;
}`;
  const original = (new Function(`${source}; return gen;`)() as (s: number) => Generator<number, number, number>)(10);
  original.next();
  original.next(1); // suspended at the yield with i = 1, total = 11
  const variant = generateResumeVariant({ source, location: locate(source, 'yield'), role: 'suspended' });
  assert.equal(variant.kind, 'generator');
  assert.equal(variant.priming, 'next-once');
  assert.deepEqual(
    variant.blocks.map((b) => b.names),
    [['i']],
  );
  const resumed = instantiate(variant, { start: 10, total: 11 }).call(undefined, { blocks: [{ i: 1 }] }) as Generator<
    number,
    number,
    number
  >;
  resumed.next(); // priming: runs to the same yield again, nothing observable happens
  for (const v of [5, 7, 100]) assert.deepEqual(resumed.next(v), original.next(v));
  assert.deepEqual(resumed.next(1), original.next(1));
});

test('return() and throw() on a resumed generator go through its try/finally', () => {
  const source = `function* g(log) {
  try {
    while (true) {
      const v = yield log.length;
      log.push(v);
    }
  } finally {
    log.push('closed');
  }
}`;
  const log: unknown[] = ['a'];
  const variant = generateResumeVariant({ source, location: locate(source, 'yield'), role: 'suspended' });
  const resumed = instantiate(variant, { log }).call(undefined, { blocks: [] }) as Generator<number, unknown, unknown>;
  resumed.next();
  assert.deepEqual(resumed.next('b'), { value: 2, done: false });
  assert.deepEqual(resumed.return('r'), { value: 'r', done: true });
  assert.deepEqual(log, ['a', 'b', 'closed']);
});

test('an async function suspended at an await continues with the awaited promise', async () => {
  const source = `async function job(x, get) {
  let acc = x;
  for (let d = 1; d <= 3; d++) {
    acc += await get(d);
    acc *= 2;
  }
  return acc;
}`;
  const get = (d: number) => Promise.resolve(d * 10);
  const job = new Function(`${source}; return job;`)() as (x: number, g: typeof get) => Promise<number>;
  const expected = await job(1, get);
  // Suspended at the await in iteration d = 2, with acc = (1 + 10) * 2 = 22.
  const variant = generateResumeVariant({ source, location: locate(source, 'await'), role: 'suspended' });
  assert.equal(variant.kind, 'async');
  assert.equal(variant.needs.awaited, true);
  const resumed = instantiate(variant, { x: 1, get, acc: 22 }).call(undefined, {
    blocks: [{ d: 2 }],
    awaited: get(2),
  }) as Promise<number>;
  assert.equal(await resumed, expected);
});

test('an async generator suspended at a yield is primed like a generator', async () => {
  const source = `async function* ticks(n) {
  for (let i = 0; i < n; i++) {
    await null;
    const cmd = yield i * i;
    if (cmd === 'stop') return 'stopped at ' + i;
  }
}`;
  const variant = generateResumeVariant({ source, location: locate(source, 'yield'), role: 'suspended' });
  assert.equal(variant.kind, 'async-generator');
  const resumed = instantiate(variant, { n: 5 }).call(undefined, { blocks: [{ i: 2 }] }) as AsyncGenerator<
    number,
    string,
    string
  >;
  const primed = resumed.next();
  assert.deepEqual(await resumed.next('go'), { value: 9, done: false });
  assert.deepEqual(await primed, { value: undefined, done: false });
  assert.deepEqual(await resumed.next('stop'), { value: 'stopped at 3', done: true });
});

test('an async generator suspended at an await serves its pending request with one next()', async () => {
  const source = `async function* ticks(n) {
  for (let i = 0; i < n; i++) {
    const got = await Promise.resolve(i);
    yield got * 10;
  }
}`;
  const variant = generateResumeVariant({ source, location: locate(source, 'await'), role: 'suspended' });
  assert.equal(variant.priming, 'serve-request');
  assert.equal(variant.needs.awaited, true);
  const resumed = instantiate(variant, { n: 3 }).call(undefined, {
    blocks: [{ i: 1 }],
    awaited: Promise.resolve(4),
  }) as AsyncGenerator<number>;
  // The one next() settles to what the request being served would have: the awaited value, yielded.
  assert.deepEqual(await resumed.next(), { value: 40, done: false });
  assert.deepEqual(await resumed.next(), { value: 20, done: false });
  assert.deepEqual(await resumed.next(), { value: undefined, done: true });
});

test('a for-await loop suspended at its await of next() takes that promise first, then goes on with the iterator', async () => {
  const source = `async function sum(source) {
  let total = 0;
  for await (const { x } of source) {
    total += x;
  }
  return total;
}`;
  // V8 reports a for-await waiting for next() at a destructuring pattern's closing bracket.
  const variant = generateResumeVariant({ source, location: locate(source, '} of'), role: 'suspended' });
  assert.equal(variant.needs.awaited, true);
  assert.equal(variant.loops[0].kind, 'for-await-of');
  async function* rest() {
    yield { x: 20 };
    yield { x: 300 };
  }
  const result = await (instantiate(variant, { source: null, total: 1 }).call(undefined, {
    loops: [rest()],
    awaited: Promise.resolve({ value: { x: 4 }, done: false }),
  }) as Promise<number>);
  assert.equal(result, 325);
});

test('variants are cached per (script, pause point, role)', () => {
  const source = 'function f(n) {\n  return n ? f(n - 1) : 0;\n}\n';
  const request = { source, location: locate(source, 'f(n - 1)'), role: 'caller' as const };
  assert.equal(generateResumeVariant(request), generateResumeVariant({ ...request }));
  assert.notEqual(generateResumeVariant(request), generateResumeVariant({ ...request, role: 'innermost' }));
});
