// A checkpoint taken in VS Code with `then: 'stop'` hands the program's connections to a holder,
// as `ferry checkpoint --then stop` does: `ferry restore` here takes them, and a resume on a host
// from the editor has them relayed by a stub, which the adapter reports (ferry/resumed's `relay`,
// what the Checkpoints view and the status bar show).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { ResumedBody } from '../../adapter/restored';
import type { StoredManifest } from '../../snapshot/format/manifest';
import { summarize, withHolders } from '../../extension/checkpoint-files';
import type { RelayedConnections } from '../../snapshot/remote/restore';
import { conversation, ferry, node, Running } from '../helpers/live-programs';
import { remoteDir, skipReason, SSH_CONFIG, testEnvUp } from '../remote/env';
import { startClient, tempDir, type TestClient } from './helpers';

const liveFixture = (name: string) => join(__dirname, '..', 'live', 'fixtures', name);

async function outputMatching(output: Array<DebugProtocol.OutputEvent['body']>, pattern: RegExp): Promise<string[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = pattern.exec(output.map((o) => o.output).join(''));
    if (found) return [...found];
    if (Date.now() > deadline) throw new Error(`no ${pattern} in the program's output`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The echo server under the debugger, its client holding half of line 6, checkpointed from the
 * session with `then: 'stop'`; returns the client (still holding) and the checkpoint's manifest.
 */
async function echoCheckpointedInSession(
  t: Parameters<typeof startClient>[0],
  output: string,
): Promise<{ client: Running; manifest: StoredManifest; session: TestClient }> {
  const session = await startClient(t);
  const programOutput = session.collectOutput();
  await session.launchWith({ program: liveFixture('echo-server.js') });
  const [, port] = await outputMatching(programOutput, /port (\d+)/);
  const client = node([liveFixture('echo-client.js'), port, '20', '5']);
  t.after(async () => client.stop());
  await client.waitFor(/^holding$/m);
  const written = (await session.customRequest('ferry/checkpoint', { at: 'idle', output, then: 'stop' })).body;
  assert.equal(written.programState, 'stopped');
  const inspected = await ferry(['inspect', output, '--json']);
  return { client, manifest: JSON.parse(inspected.stdout) as StoredManifest, session };
}

test('a checkpoint with then stop hands the connections to a holder: ferry restore takes them', async (t) => {
  const dir = tempDir(t, 'ferry-dap-conn-');
  const output = join(dir, 'echo.ferry');
  const { client, manifest } = await echoCheckpointedInSession(t, output);
  const holder = manifest.handles.connections?.holder;
  assert.ok(holder, 'the checkpoint names a holder');
  assert.equal(manifest.handles.connections!.sockets.length, 2);
  assert.ok(existsSync(holder.path), 'the holder waits on its socket');
  client.say();
  const restored = await ferry(['restore', output]);
  assert.equal(restored.code, 0, restored.stderr);
  assert.match(restored.stdout, /conversation ended after 20 lines/);
  await client.exit;
  assert.equal(client.stdout, conversation(20, 5));
  assert.ok(!existsSync(holder.path), 'the holder is gone once the program has them');
});

test('resumed here from the editor, a checkpoint taken in it keeps its connections', async (t) => {
  const dir = tempDir(t, 'ferry-dap-conn-');
  const output = join(dir, 'echo.ferry');
  const { client, manifest } = await echoCheckpointedInSession(t, output);
  // The Checkpoints view names the holder that waits with them, until the resume takes them.
  const heldNow = async () => (await withHolders([summarize(output)]))[0].held;
  assert.equal((await heldNow())?.count, 2);
  const resumedSession = await startClient(t);
  const resumedOutput = resumedSession.collectOutput();
  const resumed = resumedSession.waitForEvent('ferry/resumed', 60_000);
  await resumedSession.launchWith({ checkpoint: output });
  // What the Checkpoints view and the status bar show of the run: the connections it took here.
  assert.equal(((await resumed).body as ResumedBody).taken, 2);
  client.say();
  await client.exit;
  // Every echo after the resume came back on the connection opened before the checkpoint: no reset, no close.
  assert.equal(client.stdout, conversation(20, 5));
  await outputMatching(resumedOutput, /conversation ended after 20 lines/);
  assert.ok(!existsSync(manifest.handles.connections!.holder!.path), 'the holder is gone once the program has them');
  assert.equal(await heldNow(), undefined);
});

test('resumed in the integrated terminal, a checkpoint taken in it says up front that its connections close', async (t) => {
  const dir = tempDir(t, 'ferry-dap-conn-');
  const output = join(dir, 'echo.ferry');
  const { client, manifest } = await echoCheckpointedInSession(t, output);
  const resumedSession = await startClient(t);
  const resumedOutput = resumedSession.collectOutput();
  resumedSession.onReverseRequest = async (request) => {
    const args = request.arguments as DebugProtocol.RunInTerminalRequestArguments;
    // As the editor's terminal runs it: a process of its own, handed no descriptor.
    const env = { ...process.env, ...args.env } as NodeJS.ProcessEnv;
    const terminal = new Running(
      spawn(args.args[0], args.args.slice(1), { cwd: args.cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true }),
    );
    t.after(() => terminal.stop());
    return { processId: terminal.child.pid };
  };
  const resumed = resumedSession.waitForEvent('ferry/resumed', 60_000);
  await resumedSession.launchWith({ checkpoint: output, console: 'integratedTerminal' });
  // Category 'important': VS Code shows it as a notification, not only in the Debug Console.
  const warnings = resumedOutput.filter((o) => o.category === 'important').map((o) => o.output);
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0], /integrated terminal .* cannot be given the program's 2 held connection\(s\)/);
  assert.equal(((await resumed).body as ResumedBody).taken, undefined);
  await client.waitFor(/^closed$/m); // as the warning said: the holder closed its connection
  assert.ok(!existsSync(manifest.handles.connections!.holder!.path), 'the holder is gone');
});

test(
  'resumed on a host from the editor, a checkpoint taken in it has its connections relayed',
  { skip: skipReason },
  async (t) => {
    testEnvUp();
    const dir = tempDir(t, 'ferry-dap-conn-');
    const output = join(dir, 'echo.ferry');
    const { client } = await echoCheckpointedInSession(t, output);
    const resumedSession = await startClient(t);
    const resumed = resumedSession.waitForEvent('ferry/resumed', 60_000);
    await resumedSession.launchWith({
      checkpoint: output,
      host: 'remote2',
      sshConfigFile: SSH_CONFIG,
      hostCwd: remoteDir('dap-relay'),
    });
    const { relay } = (await resumed).body as { relay?: RelayedConnections };
    assert.equal(relay?.connections, 2);
    client.say();
    await client.exit;
    assert.equal(client.stdout, conversation(20, 5));
  },
);
