// Source-mapped TypeScript (tsc output with .js.map files): breakpoints set in the .ts source,
// stack frames and stepping shown in it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { before, test } from 'node:test';
import { fixture, lineOf, startClient } from './helpers';

const TS = fixture('ts/src/app.ts');
const JS = fixture('ts/out/app.js');
const LATER = fixture('ts/src/later.ts');

// The fixture is real tsc output, compiled here so that it always matches its sources.
before(() => {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', fixture('ts')], { stdio: 'pipe' });
});

test('a breakpoint set in the .ts source stops there, and the stack shows the .ts file', async (t) => {
  const client = await startClient(t);
  const updates = client.breakpointUpdates();
  await client.launchWith(
    { program: JS },
    { [TS]: [{ line: lineOf(TS, 'length') }], [LATER]: [{ line: lineOf(LATER, 'twice') }] },
  );
  const { event, top, frames } = await client.stopped();
  assert.equal(event.body.reason, 'breakpoint');
  assert.deepEqual([top.name, top.source?.path, top.line], ['length', TS, lineOf(TS, 'length')]);
  assert.deepEqual([frames[1].source?.path, frames[1].line], [TS, lineOf(TS, 'call')]);
  const reported = [...updates.values()].find((b) => b.source?.path === TS);
  assert.deepEqual([reported?.verified, reported?.source?.path, reported?.line], [true, TS, lineOf(TS, 'length')]);
  const point = (await client.locals(top.id)).get('point')!;
  assert.equal(point.value, '{x: 3, y: 4}');
  await client.stepOutRequest({ threadId: 1 });
  const after = await client.stopped();
  assert.deepEqual([after.top.source?.path, after.top.line], [TS, lineOf(TS, 'call') + 1]);
  const { body } = (await client.send(
    'loadedSources',
  )) as import('@vscode/debugprotocol').DebugProtocol.LoadedSourcesResponse;
  assert.ok(body.sources.some((s) => s.path === TS) && body.sources.some((s) => s.path === JS));
  // later.ts is required after the program starts: its breakpoint binds when V8 parses it.
  await client.continueRequest({ threadId: 1 });
  const later = await client.stopped();
  assert.deepEqual([later.top.name, later.top.source?.path, later.top.line], ['twice', LATER, lineOf(LATER, 'twice')]);
});
