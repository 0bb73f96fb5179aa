// Attaching to running programs: by port, by WebSocket URL, by process id; detaching leaves them
// running; the ferry/targetInfo custom request; clear errors when there is nothing to attach to.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ADAPTER, TestClient, fixture, inspectorUrlOf, lineOf, spawnNode, startClient } from './helpers';

const SERVER = fixture('server.js');

test('attach by port: breakpoints hit, ferry/targetInfo describes the target, disconnect detaches', async (t) => {
  const child = spawnNode(t, '--inspect=127.0.0.1:0', SERVER);
  const url = await inspectorUrlOf(child);
  const client = await startClient(t);
  await client.attachWith(
    { port: Number(new URL(url).port), address: '127.0.0.1' },
    { [SERVER]: [{ line: lineOf(SERVER, 'tick') }] },
  );
  const { event, top } = await client.stopped();
  assert.deepEqual([event.body.reason, top.line], ['breakpoint', lineOf(SERVER, 'tick')]);
  const info = (await client.customRequest('ferry/targetInfo')).body;
  assert.deepEqual(info, { pid: child.pid, nodeVersion: process.version, inspectorUrl: url, state: 'paused' });
  await assert.rejects(client.customRequest('ferry/noSuchRequest'), /unrecognized request|unknown/i);
  await client.disconnectRequest({});
  // Detached: breakpoints gone, the program runs on.
  const exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  assert.equal(await exit, 7);
});

test('attach by websocketUrl, then terminate', async (t) => {
  const child = spawnNode(t, '--inspect=127.0.0.1:0', SERVER);
  const websocketUrl = await inspectorUrlOf(child);
  const client = await startClient(t);
  const terminated = client.waitForEvent('terminated');
  await client.attachWith({ websocketUrl });
  assert.equal((await client.customRequest('ferry/targetInfo')).body.state, 'running');
  const exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  await client.terminateRequest({});
  assert.equal(await exit, 7);
  await terminated;
});

test('attach by processId opens the inspector of a plain Node process (SIGUSR1)', async (t) => {
  const child = spawnNode(t, SERVER);
  await new Promise((resolve) => child.once('spawn', resolve));
  const client = await startClient(t);
  await client.attachWith({ processId: child.pid }, { [SERVER]: [{ line: lineOf(SERVER, 'tick') }] });
  const { top } = await client.stopped();
  assert.equal(top.name, 'tick');
  assert.equal((await client.customRequest('ferry/targetInfo')).body.pid, child.pid);
});

test('attaching where there is no inspector fails with a clear message', async (t) => {
  const http = createServer((_, res) => res.end('not an inspector'));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    http.close();
  });
  const busyPort = (http.address() as { port: number }).port;
  const closedPort = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['nothing listens', { port: closedPort }, /nothing listens there/],
    [
      'the port is in use by something else',
      { port: busyPort, timeout: 2000 },
      /cannot attach to the inspector at 127\.0\.0\.1:\d+: .*not a Node inspector/,
    ],
    ['no such process', { processId: 2 ** 22 + 1 }, /cannot attach to process \d+: no process with pid/],
  ];
  for (const [name, args, message] of cases) {
    await t.test(name, async (tt) => {
      const client = await startClient(tt);
      await client.initializeRequest();
      await assert.rejects(client.attachRequest(args as DebugProtocol.AttachRequestArguments), message);
    });
  }
});

test('the adapter also serves DAP over TCP with --server=PORT', async (t) => {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
  spawnNode(t, ADAPTER, `--server=${port}`);
  // The adapter announces the port before it listens: wait until it accepts connections.
  while (!(await accepts(port))) await new Promise((resolve) => setTimeout(resolve, 20));
  const client = new TestClient();
  await client.start(port);
  const { body } = await client.initializeRequest();
  assert.equal(body?.supportsConfigurationDoneRequest, true);
  await client.stop();
});

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
