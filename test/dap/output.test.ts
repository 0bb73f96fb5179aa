// Program output in the Debug Console: console API calls with their source location (the default),
// or the raw stdout/stderr (outputCapture: 'std'); uncaught exceptions; the exit code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { fixture, lineOf, startClient } from './helpers';

const OUTPUT = fixture('output.js');

test('console API calls and uncaught exceptions appear with their source location', async (t) => {
  const client = await startClient(t);
  const output = client.collectOutput();
  const exited = client.waitForEvent('exited');
  const terminated = client.waitForEvent('terminated');
  await client.launchWith({ program: OUTPUT });
  assert.equal(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 1);
  await terminated;
  const program = output.filter((o) => o.category !== 'console' && o.category !== 'telemetry');
  const at = (o: DebugProtocol.OutputEvent['body']) => [o.category, o.output.split('\n')[0], o.source?.path, o.line];
  assert.deepEqual(at(program[0]), ['stdout', 'hello {n: 1}', OUTPUT, lineOf(OUTPUT, 'log')]);
  assert.deepEqual(at(program[1]), ['stderr', 'oops', OUTPUT, lineOf(OUTPUT, 'error')]);
  assert.deepEqual(at(program[2]), ['stderr', 'Uncaught Error: boom', OUTPUT, lineOf(OUTPUT, 'boom')]);
  assert.equal(program.length, 3, 'raw writes are not shown in console mode');
});

test("outputCapture 'std' shows the program's raw stdout and stderr, without inspector noise", async (t) => {
  const client = await startClient(t);
  const output = client.collectOutput();
  const terminated = client.waitForEvent('terminated');
  await client.launchWith({ program: OUTPUT, outputCapture: 'std' });
  await terminated;
  const text = (category: string) =>
    output
      .filter((o) => o.category === category)
      .map((o) => o.output)
      .join('');
  assert.equal(text('stdout'), 'hello { n: 1 }\nraw write\n');
  assert.match(text('stderr'), /^oops\n[^]*Error: boom/);
  assert.doesNotMatch(text('stderr'), /Debugger attached|Waiting for the debugger/);
});
