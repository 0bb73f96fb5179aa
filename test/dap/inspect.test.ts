// Inspecting a paused program: threads, stack (with async frames), scopes, variables of every
// kind, setVariable, evaluate, completions, loadedSources and the source of node: internals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { fixture, lineOf, startClient, type TestClient } from './helpers';

const VALUES = fixture('values.js');

test('a paused program, inspected', async (t) => {
  const client = await startClient(t);
  const output = client.collectOutput();
  await client.launchWith({ program: VALUES });
  const { event, top, frames } = await client.stopped();
  const locals = await client.locals(top.id);
  const expand = async (name: string, extra: Partial<DebugProtocol.VariablesArguments> = {}) =>
    client.variablesOf(locals.get(name)!.variablesReference, extra);

  await t.test('threads and stack', async () => {
    assert.equal(event.body.reason, 'debugger statement');
    const { body } = await client.threadsRequest();
    assert.deepEqual(
      body.threads.map((th) => th.id),
      [1],
    );
    assert.deepEqual([top.name, top.line, top.source?.path], ['inspect', lineOf(VALUES, 'pause'), VALUES]);
    assert.equal(frames[1].name, '<anonymous>'); // the module's top level
    const paged = await client.stackTraceRequest({ threadId: 1, startFrame: 1, levels: 1 });
    assert.equal(paged.body.stackFrames.length, 1);
    assert.equal(paged.body.stackFrames[0].line, frames[1].line);
    assert.ok(paged.body.totalFrames! >= frames.length);
  });

  await t.test('scopes', async () => {
    const { body } = await client.scopesRequest({ frameId: top.id });
    assert.equal(body.scopes[0].name, 'Local (inspect)');
    assert.equal(body.scopes[0].presentationHint, 'locals');
    assert.ok(body.scopes.some((s) => s.name === 'Global' && s.expensive));
  });

  await t.test('class instances: own properties, private fields, [[Prototype]]', async () => {
    assert.equal(locals.get('account')?.value, 'Account {#secret: "hidden", owner: "ada"}');
    const account = await expand('account');
    assert.equal(account.get('owner')?.value, '"ada"');
    assert.equal(account.get('owner')?.evaluateName, 'account.owner');
    assert.equal(account.get('#secret')?.value, '"hidden"');
    const prototype = await client.variablesOf(account.get('[[Prototype]]')!.variablesReference);
    assert.match(prototype.get('constructor')!.value, /^ƒ class Account/);
  });

  await t.test('large arrays page their items', async () => {
    const big = locals.get('big')!;
    assert.equal(big.indexedVariables, 250);
    const page = await expand('big', { filter: 'indexed', start: 200, count: 3 });
    assert.deepEqual(
      [...page.entries()].map(([n, v]) => `${n}=${v.value}`),
      ['200=400', '201=402', '202=404'],
    );
    assert.equal(page.get('201')?.evaluateName, 'big[201]');
    const named = await expand('big', { filter: 'named' });
    assert.ok(named.has('length') && !named.has('0'));
  });

  await t.test('Map and Set entries, paged', async () => {
    assert.match(locals.get('map')!.value, /^Map\(150\) \{k0 => 0, /);
    const map = await expand('map');
    const entries = map.get('[[Entries]]')!;
    assert.equal(entries.indexedVariables, 150);
    const page = await client.variablesOf(entries.variablesReference, { filter: 'indexed', start: 148, count: 5 });
    assert.deepEqual(
      [...page.values()].map((v) => v.value),
      ['{"k148" => 148}', '{"k149" => 149}'],
    );
    const set = await client.variablesOf((await expand('set')).get('[[Entries]]')!.variablesReference);
    assert.deepEqual([set.get('0')?.value, set.get('1')?.value], ['"a"', '"b"']);
  });

  await t.test('promise state', async () => {
    assert.equal((await expand('pending')).get('[[PromiseState]]')?.value, '"pending"');
    const resolved = await expand('resolved');
    assert.equal(resolved.get('[[PromiseState]]')?.value, '"fulfilled"');
    assert.equal(resolved.get('[[PromiseResult]]')?.value, '42');
  });

  await t.test('getters are lazy: evaluated only when expanded', async () => {
    const computed = (await expand('lazy')).get('computed')!;
    assert.deepEqual(computed.presentationHint, { lazy: true });
    assert.equal(computed.value, '(...)');
    const value = await client.variablesOf(computed.variablesReference);
    assert.equal(value.get('computed')?.value, '42');
  });

  await t.test('setVariable on a local and on an object property', async () => {
    const localsRef = (await client.scopesRequest({ frameId: top.id })).body.scopes[0].variablesReference;
    const set = await client.setVariableRequest({
      variablesReference: localsRef,
      name: 'counter',
      value: 'counter + 41',
    });
    assert.equal(set.body.value, '42');
    const nested = locals.get('nested')!;
    const inner = await client.setVariableRequest({
      variablesReference: nested.variablesReference,
      name: 'inner',
      value: '"replaced"',
    });
    assert.equal(inner.body.value, '"replaced"');
    assert.equal((await evaluate(client, top.id, 'nested.inner', 'watch')).result, '"replaced"');
  });

  await t.test('evaluate: repl, watch, and side-effect-free hover', async () => {
    const repl = await evaluate(client, top.id, 'nested.list.map((x) => x * 10)', 'repl');
    assert.equal(repl.result, 'Array(3) [10, 20, 30]');
    assert.equal(repl.indexedVariables, 3);
    assert.equal((await client.variablesOf(repl.variablesReference)).get('2')?.value, '30');
    assert.equal((await evaluate(client, top.id, 'counter', 'watch')).result, '42');
    assert.equal((await evaluate(client, top.id, 'counter', 'hover')).result, '42');
    await assert.rejects(evaluate(client, top.id, 'counter = 0', 'hover'), /side-effect/);
    assert.equal((await evaluate(client, top.id, 'counter', 'watch')).result, '42');
    await assert.rejects(
      evaluate(client, top.id, 'notDefinedAnywhere', 'repl'),
      /ReferenceError: notDefinedAnywhere is not defined/,
    );
  });

  await t.test('completions: scope variables and members', async () => {
    const scope = await client.completionsRequest({ frameId: top.id, text: 'cou', column: 4 });
    assert.ok(scope.body.targets.some((c) => c.label === 'counter'));
    const members = await client.completionsRequest({ frameId: top.id, text: 'account.ow', column: 11 });
    assert.deepEqual(
      members.body.targets.map((c) => c.label),
      ['owner'],
    );
    const inherited = await client.completionsRequest({ frameId: top.id, text: 'nested.list.fil', column: 16 });
    assert.ok(inherited.body.targets.some((c) => c.label === 'filter'));
  });

  await t.test('loadedSources and the source of node: internals', async () => {
    const { body } = (await client.send('loadedSources')) as DebugProtocol.LoadedSourcesResponse;
    assert.ok(body.sources.some((s) => s.path === VALUES));
    const internal = body.sources.find((s) => s.name === 'node:internal/modules/cjs/loader');
    assert.ok(internal?.sourceReference, 'node internals are fetched by reference');
    const source = await client.sourceRequest({ source: internal, sourceReference: internal.sourceReference! });
    assert.match(source.body.content, /Module\._load = function/);
    // Frames in node internals point at the same kind of source.
    const loaderFrame = frames.find((f) => f.source?.name?.startsWith('node:internal'));
    assert.ok(loaderFrame?.source?.sourceReference);
  });

  await t.test('continuing runs the program with the values set', async () => {
    const terminated = client.waitForEvent('terminated');
    await client.continueRequest({ threadId: 1 });
    await terminated;
    assert.ok(
      output.some((o) => o.output === 'counter=42 owner=ada\n'),
      JSON.stringify(output),
    );
  });
});

test('async stack traces show the awaiting callers', async (t) => {
  const client = await startClient(t);
  const program = fixture('asyncs.js');
  await client.launchWith({ program }, { [program]: [{ line: lineOf(program, 'inner') }] });
  const { frames } = await client.stopped();
  assert.equal(frames[0].name, 'inner');
  const label = frames.findIndex((f) => f.presentationHint === 'label');
  assert.ok(label > 0, 'an async boundary label');
  assert.equal(frames[label].name, 'await');
  assert.equal(frames[label + 1].name, 'outer');
  assert.equal(frames[label + 1].source?.path, program);
  const scopes = await client.scopesRequest({ frameId: frames[label + 1].id });
  assert.deepEqual(scopes.body.scopes, [], 'async frames have no live scopes');
});

async function evaluate(
  client: TestClient,
  frameId: number,
  expression: string,
  context: string,
): Promise<DebugProtocol.EvaluateResponse['body']> {
  return (await client.evaluateRequest({ frameId, expression, context })).body;
}
