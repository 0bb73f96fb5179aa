// Checkpoints from a debug session (ferry/checkpoint), resuming them under the debugger (launch with
// `checkpoint`), and the Checkpoint breakpoint modes, against real Node programs.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { fixture, lineOf, startClient, tempDir, type TestClient } from './helpers';

const TICKS = fixture('ticks.js');
const RESTORE = resolve(__dirname, '../../dist/restore.js');
const run = promisify(execFile);

/** The `tick N ...` lines the program printed so far, as numbers. */
function ticks(output: Array<DebugProtocol.OutputEvent['body']>): number[] {
  return output.flatMap((o) => /^tick (\d+) /.exec(o.output)?.[1] ?? []).map(Number);
}

async function untilTick(output: Array<DebugProtocol.OutputEvent['body']>, n: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!ticks(output).includes(n)) {
    if (Date.now() > deadline) throw new Error(`no tick ${n} within 10 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function checkpoint(
  client: TestClient,
  args: Record<string, unknown>,
): Promise<{ path: string; kind: string; programState: string }> {
  return (await client.customRequest('ferry/checkpoint', args)).body;
}

/** Runs the ticks fixture under the debugger, checkpoints it at idle after tick 3 and stops it. */
async function checkpointOfRunningTicks(
  t: Parameters<typeof startClient>[0],
): Promise<{ written: { path: string }; last: number }> {
  const dir = tempDir(t, 'ferry-dap-ckpt-');
  const origin = await startClient(t);
  const originOutput = origin.collectOutput();
  await origin.launchWith({ program: TICKS });
  await untilTick(originOutput, 3);
  const written = await checkpoint(origin, { at: 'idle', output: join(dir, 'ticks.ferry'), then: 'stop' });
  return { written, last: Math.max(...ticks(originOutput)) };
}

/** Sum of squares 1..n, as the program prints it. */
const sum = (n: number) => (n * (n + 1) * (2 * n + 1)) / 6;

test('a checkpoint at idle of a running session restores to the same output', async (t) => {
  const dir = tempDir(t, 'ferry-dap-ckpt-');
  const client = await startClient(t);
  const output = client.collectOutput();
  await client.launchWith({ program: TICKS });
  await untilTick(output, 3);
  const terminated = client.waitForEvent('terminated');
  const written = await checkpoint(client, { at: 'idle', output: join(dir, 'ticks.ferry'), then: 'stop' });
  assert.equal(written.kind, 'idle');
  assert.equal(written.programState, 'stopped');
  await terminated;
  const last = Math.max(...ticks(output));
  const { stdout } = await run(process.execPath, [RESTORE, written.path]);
  const lines = stdout.trim().split('\n');
  assert.equal(lines[0], `tick ${last + 1} sum ${sum(last + 1)}`);
  assert.deepEqual(lines.slice(-2), [`tick 40 sum ${sum(40)}`, 'done']);
});

test('checkpoint at idle from a breakpoint: the program runs on to an idle point, then continues', async (t) => {
  const dir = tempDir(t, 'ferry-dap-ckpt-');
  const client = await startClient(t);
  const output = client.collectOutput();
  await client.launchWith({ program: TICKS }, { [TICKS]: [{ line: lineOf(TICKS, 'tick'), hitCondition: '2' }] });
  await client.stopped();
  const written = await checkpoint(client, { at: 'idle', output: join(dir, 'ticks.ferry') });
  assert.equal(written.programState, 'running');
  assert.ok(existsSync(written.path));
  await untilTick(output, 5);
});

test('checkpoint here at a breakpoint inside an interval: the restore goes on from that very line', async (t) => {
  const dir = tempDir(t, 'ferry-dap-ckpt-');
  const client = await startClient(t);
  const output = client.collectOutput();
  await client.launchWith({ program: TICKS }, { [TICKS]: [{ line: lineOf(TICKS, 'tick'), hitCondition: '3' }] });
  await client.stopped();
  const written = await checkpoint(client, { at: 'here', output: join(dir, 'here.ferry'), then: 'stop' });
  assert.equal(written.kind, 'here');
  assert.equal(written.programState, 'stopped');
  // Paused before its third line was printed: the restored program prints it, and the interval goes on.
  assert.deepEqual(ticks(output), [1, 2]);
  const { stdout } = await run(process.execPath, [RESTORE, written.path]);
  const lines = stdout.trim().split('\n');
  assert.equal(lines[0], `tick 3 sum ${sum(3)}`);
  assert.deepEqual(lines.slice(-2), [`tick 40 sum ${sum(40)}`, 'done']);
  assert.equal(lines.length, 39);
});

test('checkpoint here inside async functions after an await: the restore settles the promises the callers wait on', async (t) => {
  const ASYNCS = fixture('asyncs.js');
  const client = await startClient(t);
  await client.launchWith({ program: ASYNCS }, { [ASYNCS]: [{ line: lineOf(ASYNCS, 'inner') }] });
  await client.stopped();
  const written = await checkpoint(client, {
    at: 'here',
    output: join(tempDir(t, 'ferry-dap-ckpt-'), 'here.ferry'),
    then: 'stop',
  });
  const { stdout } = await run(process.execPath, [RESTORE, written.path]);
  assert.equal(stdout, 'done 2\n');
});

test('with exactCheckpoint, checkpoint here inside a sort comparator is refused by name, and the program stays paused', async (t) => {
  const SORTING = fixture('sorting.js');
  const client = await startClient(t);
  await client.launchWith(
    { program: SORTING, exactCheckpoint: true },
    { [SORTING]: [{ line: lineOf(SORTING, 'compare') }] },
  );
  await client.stopped();
  await assert.rejects(
    checkpoint(client, { at: 'here', output: join(tempDir(t, 'ferry-dap-ckpt-'), 'here.ferry') }),
    /frame 1 .*sorting\.js:4.*callback run by the built-in `sort`, which keeps its progress where no debugger can read it/,
  );
  assert.equal((await client.customRequest('ferry/targetInfo')).body.state, 'paused');
});

test('checkpoint here inside a sort comparator steps on to the nearest point, and the editor shows that line', async (t) => {
  const SORTING = fixture('sorting.js');
  const dir = tempDir(t, 'ferry-dap-ckpt-');
  const client = await startClient(t);
  const output = client.collectOutput();
  await client.launchWith({ program: SORTING }, { [SORTING]: [{ line: lineOf(SORTING, 'compare') }] });
  await client.stopped();
  const written = await checkpoint(client, { at: 'here', output: join(dir, 'here.ferry') });
  assert.equal(written.kind, 'here');
  assert.equal(written.programState, 'paused');
  const { event, top } = await client.stopped();
  assert.equal(event.body.reason, 'step');
  assert.match(event.body.description ?? '', /callback run by the built-in `sort`/);
  assert.equal(top.line, lineOf(SORTING, 'sorted'));
  assert.ok(output.some((o) => /stepped on to this line, the nearest point Ferry can resume/.test(o.output)));
  const { stdout } = await run(process.execPath, [RESTORE, written.path]);
  assert.equal(stdout, 'sorted 1,2,3\nend\n');
});

test('bad arguments and a release without a hold are refused', async (t) => {
  const client = await startClient(t);
  await client.launchWith({ program: TICKS });
  await assert.rejects(checkpoint(client, { at: 'later' }), /"at": "idle" or "here"/);
  await assert.rejects(client.customRequest('ferry/release', { then: 'continue' }), /holds no checkpointed program/);
});

test('a checkpoint held for a handover is released to continue', async (t) => {
  const dir = tempDir(t, 'ferry-dap-ckpt-');
  const client = await startClient(t);
  const output = client.collectOutput();
  await client.launchWith({ program: TICKS });
  await untilTick(output, 2);
  const written = await checkpoint(client, { at: 'idle', output: join(dir, 'held.ferry'), then: 'hold' });
  assert.equal(written.programState, 'held');
  const frozenAt = Math.max(...ticks(output));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(Math.max(...ticks(output)), frozenAt, 'no tick while held');
  await client.customRequest('ferry/release', { then: 'continue' });
  await untilTick(output, frozenAt + 2);
});

test('resuming a checkpoint under the debugger: output continues, and the session reports resumed', async (t) => {
  const { written, last } = await checkpointOfRunningTicks(t);

  const client = await startClient(t);
  const output = client.collectOutput();
  const resumed = client.waitForEvent('ferry/resumed');
  await client.launchWith({ checkpoint: written.path, outputCapture: 'std' });
  assert.equal((await resumed).body.checkpoint, written.path);
  await client.waitForEvent('terminated');
  const restored = ticks(output);
  assert.equal(restored[0], last + 1);
  assert.equal(restored.at(-1), 40);
});

test('resuming a checkpoint in the integrated terminal: its output there, the session reports resumed', async (t) => {
  const { written, last } = await checkpointOfRunningTicks(t);

  const client = await startClient(t);
  let terminal = '';
  client.onReverseRequest = async (request) => {
    const args = request.arguments as DebugProtocol.RunInTerminalRequestArguments;
    const child = spawn(args.args[0], args.args.slice(1), {
      cwd: args.cwd,
      env: { ...process.env, ...args.env } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (terminal += chunk.toString()));
    t.after(() => {
      child.kill('SIGKILL');
    });
    return { processId: child.pid };
  };
  const resumed = client.waitForEvent('ferry/resumed');
  const terminated = client.waitForEvent('terminated');
  await client.launchWith({ checkpoint: written.path, console: 'integratedTerminal' });
  assert.equal((await resumed).body.checkpoint, written.path);
  await terminated;
  const restored = [...terminal.matchAll(/^tick (\d+) /gm)].map((match) => Number(match[1]));
  assert.equal(restored[0], last + 1);
  assert.equal(restored.at(-1), 40);
});

test('a resumed program can be stopped from the debugger', async (t) => {
  const dir = tempDir(t, 'ferry-dap-ckpt-');
  const origin = await startClient(t);
  const originOutput = origin.collectOutput();
  await origin.launchWith({ program: TICKS });
  await untilTick(originOutput, 2);
  const written = await checkpoint(origin, { at: 'idle', output: join(dir, 'ticks.ferry'), then: 'stop' });
  const client = await startClient(t);
  const output = client.collectOutput();
  await client.launchWith({ checkpoint: written.path });
  await client.waitForEvent('ferry/resumed');
  const first = Math.max(...ticks(originOutput)) + 1;
  await untilTick(output, first + 1);
  const terminated = client.waitForEvent('terminated');
  await client.terminateRequest({});
  await terminated;
  assert.ok(Math.max(...ticks(output)) < 40, 'stopped before the end');
});

test('resuming a damaged checkpoint fails before anything starts', async (t) => {
  const client = await startClient(t);
  await client.initializeRequest();
  await assert.rejects(
    client.launchRequest({ checkpoint: TICKS } as DebugProtocol.LaunchRequestArguments),
    /cannot resume .*not a Ferry checkpoint/,
  );
});

test('breakpoint modes are offered; a Checkpoint breakpoint honours its hit count, checkpoints there and lets the program go on', async (t) => {
  const client = await startClient(t);
  const { body } = await client.initializeRequest();
  assert.deepEqual(
    body?.breakpointModes?.map((m) => m.mode),
    ['checkpoint', 'checkpointMigrate'],
  );
  const output = client.collectOutput();
  const written = client.waitForEvent('ferry/checkpointWritten');
  await Promise.all([
    (async () => {
      await client.waitForEvent('initialized');
      await client.setBreakpointsRequest({
        source: { path: TICKS },
        breakpoints: [{ line: lineOf(TICKS, 'tick'), hitCondition: '3', mode: 'checkpoint' }],
      });
      await client.configurationDoneRequest();
    })(),
    client.launchRequest({ program: TICKS } as DebugProtocol.LaunchRequestArguments),
  ]);
  const { path, kind } = (await written).body;
  assert.equal(kind, 'here');
  // It did not stop the program: the ticks go on past the breakpoint's hit.
  await untilTick(output, 6);
  const { stdout } = await run(process.execPath, [RESTORE, path]);
  assert.equal(stdout.split('\n')[0], `tick 3 sum ${sum(3)}`);
});

test('with exactCheckpoint, a Checkpoint breakpoint that cannot checkpoint there says why, and the program goes on', async (t) => {
  const SORTING = fixture('sorting.js');
  const client = await startClient(t);
  const output = client.collectOutput();
  const failed = client.waitForEvent('ferry/checkpointFailed');
  await client.launchWith(
    { program: SORTING, exactCheckpoint: true },
    { [SORTING]: [{ line: lineOf(SORTING, 'compare'), mode: 'checkpoint' } as DebugProtocol.SourceBreakpoint] },
  );
  assert.match((await failed).body.message, /callback run by the built-in `sort`/);
  const deadline = Date.now() + 10_000;
  while (!output.some((o) => o.output.includes('end'))) {
    if (Date.now() > deadline) throw new Error('the program did not go on');
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.ok(output.some((o) => o.category === 'stderr' && /could not take a checkpoint/.test(o.output)));
});

test('a Checkpoint and Migrate breakpoint asks the client to migrate', async (t) => {
  const client = await startClient(t);
  const requested = client.waitForEvent('ferry/migrateRequested');
  await client.launchWith(
    { program: TICKS },
    {
      [TICKS]: [
        {
          line: lineOf(TICKS, 'tick'),
          condition: 'n === 2',
          mode: 'checkpointMigrate',
        } as DebugProtocol.SourceBreakpoint,
      ],
    },
  );
  assert.equal((await requested).body.at, 'here');
  assert.equal((await client.customRequest('ferry/targetInfo')).body.state, 'paused');
});

test('a breakpoint set in the original file binds and hits in the resumed program (its code maps back to the file)', async (t) => {
  const { written, last } = await checkpointOfRunningTicks(t);

  const client = await startClient(t);
  const line = lineOf(TICKS, 'tick');
  await client.launchWith({ checkpoint: written.path }, { [TICKS]: [{ line }] });
  const { top } = await client.stopped();
  assert.equal(top.line, line);
  assert.equal(top.source?.path, TICKS);
  const { body } = await client.evaluateRequest({ expression: 'n', frameId: top.id, context: 'watch' });
  assert.equal(Number(body.result), last + 1, 'the closure variable holds the restored value');
});
