// A function read ahead of the stop is used at the stop only while that read still holds: none of
// the variables it copied can change, and the read was made for this command. Run in this process,
// on scripts compiled here and their facts (capture/analysis.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import vm from 'node:vm';
import { analyzeScript } from '../analysis';
import { readFunctionInternals } from './function-internals';
import { Introspector } from './inspector';
import { factsFromSent } from './kept';
import { isSettled, SettledFunctionsWalk, takeSettledReads } from './settled-functions';
import type { ProgramFunction, ProgramValue } from '../../heap/program-value';

const getBuiltin = (process as ProgramValue).getBuiltinModule as (name: string) => ProgramValue;

/** Compiles `source` (which leaves its functions in `out`), and reads each function's internals. */
function scriptFunctions(source: string) {
  const out: Record<string, ProgramFunction> = {};
  vm.runInThisContext(`(function (out) { ${source} })`)(out);
  const facts = factsFromSent(analyzeScript(`(function (out) { ${source} })`)!);
  const introspector = new Introspector(getBuiltin('inspector'));
  try {
    const names = Object.keys(out);
    const reads = introspector.functionInternals(names.map((name) => out[name]));
    return {
      fns: out,
      facts,
      settled: Object.fromEntries(names.map((name, i) => [name, isSettled(reads[i], facts)])),
    };
  } finally {
    introspector.dispose();
  }
}

test('a read holds when no variable it copied can change', () => {
  const { settled } = scriptFunctions(`
    const limit = 3; var name = 'x'; function helper() { return limit; }
    out.reads = () => helper() + name + limit;
  `);
  assert.equal(settled.reads, true);
});

test('a variable the script assigns, or one still undefined, leaves the read open', () => {
  const { settled } = scriptFunctions(`
    { let count = 0; out.counts = () => count++; }
    { let later; out.waits = () => later; }
  `);
  assert.deepEqual(settled, { counts: false, waits: false });
});

test('a variable assigned where the text does not show it leaves the read open', () => {
  const aliased = scriptFunctions(`
    function make(n) { const args = arguments; out.bump = () => args[0]++; out.get = () => n; }
    make(1);
  `);
  assert.equal(aliased.settled.get, false);
  const evaluated = scriptFunctions(`
    const fixed = 1; function run(code) { eval(code); }
    out.get = () => fixed + run;
  `);
  assert.equal(evaluated.settled.get, false);
});

test('the stop uses the reads made ahead for its own command, once', () => {
  const { fns, facts, settled } = scriptFunctions(`
    { const limit = 3; out.reads = () => limit; }
    { let count = 0; out.counts = () => count++; }
  `);
  assert.deepEqual(settled, { reads: true, counts: false });
  const introspector = new Introspector(getBuiltin('inspector'));
  try {
    const walk = new SettledFunctionsWalk('command-1', [{ ...fns }]);
    const host = {
      introspector,
      registry: new Map(),
      isInternalScript: () => false,
      facts: () => facts, // the one script compiled here
    };
    while (!walk.slice(host, performance.now() + 8));
    assert.equal(takeSettledReads('command-2'), undefined, 'read for another command');
    const again = new SettledFunctionsWalk('command-1', [{ ...fns }]);
    while (!again.slice(host, performance.now() + 8));
    const reads = takeSettledReads('command-1')!;
    assert.ok(reads.has(fns.reads));
    assert.ok(!reads.has(fns.counts));
    assert.equal(takeSettledReads('command-1'), undefined, 'taken once');
    fns.counts(); // the program runs on between the walk and the stop
    const [kept, fresh] = readFunctionInternals(introspector, undefined, [fns.reads, fns.counts], reads);
    assert.equal(kept, reads.get(fns.reads));
    const closure = fresh.scopes.find((scope) => 'count' in scope.object)?.object as { count: number };
    assert.equal(closure.count, 1, 'read at the stop');
  } finally {
    introspector.dispose();
  }
});

test('the walk ahead gives up when few of its reads hold', () => {
  const { fns, facts } = scriptFunctions(`
    { const limit = 3; out.reads = () => limit; }
    function counter() { let count = 0; return () => ++count; }
    out.counter = counter;
  `);
  const introspector = new Introspector(getBuiltin('inspector'));
  const host = { introspector, registry: new Map(), isInternalScript: () => false, facts: () => facts };
  const settledAfter = (counters: number) => {
    const made = Array.from({ length: counters }, () => fns.counter());
    const walk = new SettledFunctionsWalk('command', [made, { late: fns.reads }]);
    while (!walk.slice(host, performance.now() + 8));
    return takeSettledReads('command')!.has(fns.reads);
  };
  try {
    assert.equal(settledAfter(100), true);
    assert.equal(settledAfter(400), false, 'given up before it');
  } finally {
    introspector.dispose();
  }
});
