// Launch configurations: program options, stopOnEntry, the integrated terminal, restart,
// terminate, disconnect, and clear errors for configurations that cannot work.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { listeningPorts } from '../../snapshot/target/node-process';
import { FIXTURES, fixture, lineOf, startClient, tempDir, type TestClient } from './helpers';

const ENV = fixture('env.js');
const LOOP = fixture('loop.js');
const SERVER = fixture('server.js');

async function targetInfo(
  client: TestClient,
): Promise<{ pid: number; state: string; nodeVersion: string; inspectorUrl: string }> {
  return (await client.customRequest('ferry/targetInfo')).body;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('program, args, cwd, env, runtimeExecutable and runtimeArgs reach the program', async (t) => {
  const dir = tempDir(t, 'ferry-dap-');
  const wrapper = join(dir, 'node-wrapper');
  writeFileSync(wrapper, `#!/bin/sh\nFERRY_RUNTIME_WRAPPER=yes exec "${process.execPath}" "$@"\n`);
  chmodSync(wrapper, 0o755);
  process.env.FERRY_REMOVED = 'inherited'; // the adapter inherits it; the launch removes it
  const client = await startClient(t);
  delete process.env.FERRY_REMOVED;
  const output = client.collectOutput();
  const exited = client.waitForEvent('exited');
  await client.launchWith({
    program: 'env.js',
    cwd: FIXTURES,
    args: ['one', 'two words'],
    env: { FERRY_TEST_VALUE: 'set', FERRY_REMOVED: null },
    runtimeExecutable: wrapper,
    runtimeArgs: ['--expose-gc'],
  });
  assert.equal(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 0);
  const line = output.find((o) => o.output.startsWith('{'));
  assert.deepEqual(JSON.parse(line!.output), {
    args: ['one', 'two words'],
    cwd: FIXTURES,
    env: 'set',
    removed: null,
    runtime: 'yes',
    gc: 'function',
  });
});

test('stopOnEntry stops at the first line of the program', async (t) => {
  const client = await startClient(t);
  await client.launchWith({ program: ENV, stopOnEntry: true });
  const { event, top } = await client.stopped();
  assert.equal(event.body.reason, 'entry');
  assert.deepEqual([top.source?.path, top.line], [ENV, 2]);
});

test('console: integratedTerminal starts the program through runInTerminal, its inspector unpublished', async (t) => {
  const client = await startClient(t);
  let pid = 0;
  let terminal = '';
  client.onReverseRequest = async (request) => {
    const args = request.arguments as DebugProtocol.RunInTerminalRequestArguments;
    const child = spawn(args.args[0], args.args.slice(1), {
      cwd: args.cwd,
      env: { ...process.env, ...args.env } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (terminal += chunk.toString()));
    child.stderr!.resume(); // the inspector's own lines: the user's terminal shows them
    t.after(() => {
      child.kill('SIGKILL');
    });
    pid = child.pid!;
    return { processId: child.pid };
  };
  await client.launchWith(
    { program: LOOP, console: 'integratedTerminal' },
    { [LOOP]: [{ line: lineOf(LOOP, 'add') }, { line: lineOf(LOOP, 'after') }] },
  );
  const { top } = await client.stopped();
  assert.equal(client.reverseRequests[0]?.command, 'runInTerminal');
  assert.equal(top.line, lineOf(LOOP, 'add'));
  assert.equal((await targetInfo(client)).pid, pid);
  // Another local user who finds the port learns no session URL from it (no /json).
  const [port] = listeningPorts(pid);
  assert.ok(port, 'the program listens with its inspector');
  const listed = await fetch(`http://127.0.0.1:${port}/json/list`).then(
    (response) => response.text(),
    (error: Error) => `refused: ${error.message}`,
  );
  assert.doesNotMatch(listed, /ws:\/\//, `/json/list answered: ${listed}`);
  await client.setBreakpointsRequest({ source: { path: LOOP }, breakpoints: [{ line: lineOf(LOOP, 'after') }] });
  await client.continueRequest({ threadId: 1 });
  await client.stopped();
  const terminated = client.waitForEvent('terminated');
  await client.continueRequest({ threadId: 1 });
  await terminated;
  assert.equal(terminal, 'total=10\n'); // the program's output, in its terminal
});

test('console: integratedTerminal with stopOnEntry stops at the first line', async (t) => {
  const client = await startClient(t);
  client.onReverseRequest = async (request) => {
    const args = request.arguments as DebugProtocol.RunInTerminalRequestArguments;
    const child = spawn(args.args[0], args.args.slice(1), {
      cwd: args.cwd,
      env: { ...process.env, ...args.env } as NodeJS.ProcessEnv,
      stdio: 'ignore',
    });
    t.after(() => {
      child.kill('SIGKILL');
    });
    return { processId: child.pid };
  };
  await client.launchWith({ program: ENV, console: 'integratedTerminal', stopOnEntry: true });
  const { event, top } = await client.stopped();
  assert.equal(event.body.reason, 'entry');
  assert.deepEqual([top.source?.path, top.line], [ENV, 2]);
});

test('restart runs the program again in a new process, keeping breakpoints', async (t) => {
  const client = await startClient(t);
  await client.launchWith({ program: LOOP }, { [LOOP]: [{ line: lineOf(LOOP, 'add'), condition: 'i === 2' }] });
  const first = await client.stopped();
  assert.equal((await client.locals(first.top.id)).get('i')?.value, '2');
  const before = await targetInfo(client);
  await client.restartRequest({});
  const second = await client.stopped();
  assert.equal((await client.locals(second.top.id)).get('i')?.value, '2');
  const after = await targetInfo(client);
  assert.notEqual(after.pid, before.pid);
  assert.equal(isAlive(before.pid), false);
});

test('terminate asks the program to exit (SIGTERM), and its exit code is reported', async (t) => {
  const client = await startClient(t);
  const output = client.collectOutput();
  const exited = client.waitForEvent('exited');
  const terminated = client.waitForEvent('terminated');
  await client.launchWith({ program: SERVER }, { [SERVER]: [{ line: lineOf(SERVER, 'tick') }] });
  await client.stopped(); // the program is running its timers (and paused): the SIGTERM handler must still run
  await client.terminateRequest({});
  assert.equal(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 7);
  await terminated;
  assert.ok(output.some((o) => o.output === 'terminated after some ticks\n'));
});

test('disconnect kills a launched program', async (t) => {
  const client = await startClient(t);
  await client.launchWith({ program: SERVER });
  const { pid } = await targetInfo(client);
  assert.equal(isAlive(pid), true);
  await client.disconnectRequest({});
  assert.equal(isAlive(pid), false);
});

test('bad launch configurations fail with a clear message, not a hang', async (t) => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['missing program', { program: fixture('no-such-file.js') }, /the program ".*no-such-file\.js" does not exist/],
    [
      'wrong runtime path',
      { program: LOOP, runtimeExecutable: '/no/such/node' },
      /cannot start \/no\/such\/node: spawn \/no\/such\/node ENOENT/,
    ],
    [
      'a process that exits at once',
      { program: LOOP, runtimeArgs: ['--no-such-flag'] },
      /exited \(code 9\) before its inspector opened: .*bad option: --no-such-flag/,
    ],
  ];
  for (const [name, args, message] of cases) {
    await t.test(name, async (tt) => {
      const client = await startClient(tt);
      await client.initializeRequest();
      await assert.rejects(client.launchRequest(args as DebugProtocol.LaunchRequestArguments), message);
    });
  }
});
