// The built-in graph made ahead of a stop is used at the stop only while it still holds. Run in this
// process, against the pristine names a fresh process of this Node gives (pristine-probe.ts).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { builtinRoots } from '../../heap/builtins';
import { builtinGraph, builtinGraphAhead, runtimeView } from './builtin-graph';
import { FunctionOrigins } from './function-origins';
import { Introspector } from './inspector';
import { keep, keptGraph } from './kept';
import type { ProgramValue } from '../../heap/program-value';

const getBuiltin = (process as ProgramValue).getBuiltinModule as (name: string) => ProgramValue;
const { readFileSync, existsSync } = fs;

/** This file's own functions, put where Node's were, as a program patching `fs` does. */
function patchedReadFileSync(this: unknown, ...args: unknown[]): unknown {
  return Reflect.apply(readFileSync, this, args);
}
function patchedExistsSync(this: unknown, ...args: unknown[]): unknown {
  return Reflect.apply(existsSync, this, args);
}

function pristine() {
  const { loaded } = runtimeView(getBuiltin, { globals: [], keys: {}, values: {}, functions: {}, aliases: {} });
  const probe = join(__dirname, '..', 'pristine-probe.ts');
  return JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', probe, JSON.stringify(loaded)], { encoding: 'utf8' }),
  );
}
keep(pristine(), {});

function aheadUntilMade(userScriptIds: string[]): void {
  const pristineNames = keep(undefined, {});
  for (let done = builtinGraphAhead(getBuiltin, pristineNames, 8, userScriptIds); !done;)
    done = builtinGraphAhead(getBuiltin, pristineNames, 8);
}

/** The graph at a stop whose program owns this file's script. */
function graphAtStop() {
  const introspector = new Introspector(getBuiltin('inspector'));
  try {
    const view = runtimeView(getBuiltin, keep(undefined, {}));
    const ownScript = introspector.location(patchedReadFileSync as never)!.scriptId;
    const origins = new FunctionOrigins(introspector, new Set([ownScript]), view.Module);
    return builtinGraph(view, { introspector, origins }, undefined);
  } finally {
    introspector.dispose();
  }
}

function patches(graph: ReturnType<typeof graphAtStop>, key: keyof typeof fs): boolean {
  return graph.patches.some((patch) => patch.owner === fs && patch.key === key);
}

afterEach(() => {
  Object.assign(fs, { readFileSync, existsSync });
});

test('a graph made ahead is the one used at the stop while nothing changed', () => {
  aheadUntilMade([]);
  const made = keptGraph()!.graph;
  assert.equal(graphAtStop(), made);
  assert.equal(patches(made, 'readFileSync'), false);
});

test('a built-in function replaced after the graph was made ahead is found at the stop', () => {
  aheadUntilMade([]);
  const made = keptGraph()!.graph;
  fs.readFileSync = patchedReadFileSync as typeof fs.readFileSync;
  const atStop = graphAtStop();
  assert.notEqual(atStop, made);
  assert.equal(patches(atStop, 'readFileSync'), true);
});

test("a function the graph took for Node's is checked again once its script is known as the program's", () => {
  fs.existsSync = patchedExistsSync as typeof fs.existsSync;
  aheadUntilMade([]); // made before this file's script was listed as the program's
  assert.equal(patches(keptGraph()!.graph, 'existsSync'), false);
  assert.equal(patches(graphAtStop(), 'existsSync'), true);
});

test('a global the program replaced after the graph was made ahead is walked again at the stop', () => {
  const { URL } = globalThis;
  aheadUntilMade([]);
  const made = keptGraph()!.graph;
  class ProgramURL {}
  try {
    globalThis.URL = ProgramURL as unknown as typeof URL;
    const atStop = graphAtStop();
    assert.notEqual(atStop, made);
    assert.equal(atStop.registry.get(ProgramURL), 'global:URL');
  } finally {
    globalThis.URL = URL;
  }
});

test("a lazy global of Node's read since the graph was made extends it, rather than remaking it", () => {
  aheadUntilMade([]);
  const made = keptGraph()!.graph;
  const rootNames = () => new Set(builtinRoots(getBuiltin, [], keep(undefined, {}).globals).map(([path]) => path));
  const before = rootNames();
  const lazy = keep(undefined, {}).globals.find(
    (name) => !before.has(`global:${name}`) && Object.getOwnPropertyDescriptor(globalThis, name)?.get !== undefined,
  );
  assert.ok(lazy, 'no lazy global left to read in this process');
  const value: unknown = Reflect.get(globalThis, lazy); // Node's getter makes it a data property
  assert.ok(rootNames().has(`global:${lazy}`));
  assert.equal(graphAtStop(), made);
  assert.equal(made.registry.get(value), `global:${lazy}`);
});
