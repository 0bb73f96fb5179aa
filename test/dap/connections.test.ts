// A checkpoint taken in VS Code with `then: 'stop'` hands the program's connections to a holder,
// as `ferry checkpoint --then stop` does: `ferry restore` here takes them (so does a resume in the
// editor's terminal, through the launcher in front of it), and a resume on a host
// from the editor has them relayed by a stub, which the adapter reports (ferry/resumed's `relay`,
// what the Checkpoints view and the status bar show). A migration from the editor (`then: 'move'`,
// as extension/migration.ts sends it) has them relayed the same way, or, given up, lets the
// program go on with them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { ResumedBody } from '../../adapter/restored';
import type { StoredManifest } from '../../snapshot/format/manifest';
import { readCheckpointFile, writeCheckpointFile } from '../../snapshot/format/checkpoint';
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
 * Runs a runInTerminal request as the editor's terminal does: a process of its own, handed no
 * descriptor, with the variables the request sets to null taken out of its environment.
 */
function runInTestTerminal(t: Parameters<typeof startClient>[0], request: DebugProtocol.Request): Running {
  const args = request.arguments as DebugProtocol.RunInTerminalRequestArguments;
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(args.env ?? {}))
    if (value === null) delete env[name];
    else env[name] = value;
  const terminal = new Running(
    spawn(args.args[0], args.args.slice(1), { cwd: args.cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true }),
  );
  t.after(async () => terminal.stop());
  return terminal;
}

/**
 * The echo server under the debugger, its client holding half of line 6, checkpointed from the
 * session with `then: 'stop'` (or 'move': held for a migration); returns the client (still
 * holding) and the checkpoint's manifest.
 */
async function echoCheckpointedInSession(
  t: Parameters<typeof startClient>[0],
  output: string,
  then: 'stop' | 'move' = 'stop',
): Promise<{ client: Running; manifest: StoredManifest; session: TestClient }> {
  const session = await startClient(t);
  const programOutput = session.collectOutput();
  await session.launchWith({ program: liveFixture('echo-server.js') });
  const [, port] = await outputMatching(programOutput, /port (\d+)/);
  const client = node([liveFixture('echo-client.js'), port, '20', '5']);
  t.after(async () => client.stop());
  await client.waitFor(/^holding$/m);
  const written = (await session.customRequest('ferry/checkpoint', { at: 'idle', output, then })).body;
  assert.equal(written.programState, then === 'stop' ? 'stopped' : 'held');
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

test('resumed in the integrated terminal, a checkpoint taken in it keeps its connections: a launcher there takes them', async (t) => {
  const dir = tempDir(t, 'ferry-dap-conn-');
  const output = join(dir, 'echo.ferry');
  const { client, manifest } = await echoCheckpointedInSession(t, output);
  const resumedSession = await startClient(t);
  const resumedOutput = resumedSession.collectOutput();
  let terminal: Running | undefined;
  resumedSession.onReverseRequest = async (request) => {
    terminal = runInTestTerminal(t, request);
    return { processId: terminal.child.pid };
  };
  const resumed = resumedSession.waitForEvent('ferry/resumed', 60_000);
  await resumedSession.launchWith({ checkpoint: output, console: 'integratedTerminal' });
  assert.equal(((await resumed).body as ResumedBody).taken, 2);
  assert.deepEqual(
    resumedOutput.filter((o) => o.category === 'important').map((o) => o.output),
    [],
    'nothing to warn of',
  );
  client.say();
  await client.exit;
  // Every echo after the resume came back on the connection opened before the checkpoint: no reset, no close.
  assert.equal(client.stdout, conversation(20, 5));
  await terminal!.waitFor(/conversation ended after 20 lines/);
  assert.doesNotMatch(terminal!.stderr, /restored closed/);
  assert.ok(!existsSync(manifest.handles.connections!.holder!.path), 'the holder is gone once the program has them');
});

test('resumed in the integrated terminal, a holder that refuses the launcher there fails the launch at once, saying why', async (t) => {
  const dir = tempDir(t, 'ferry-dap-conn-');
  const output = join(dir, 'echo.ferry');
  const { client, manifest } = await echoCheckpointedInSession(t, output);
  // The checkpoint names its holder with another token (the file unsigned, as the adapter accepts it).
  const { manifest: forged, sections } = readCheckpointFile<StoredManifest>(output);
  forged.handles.connections!.holder!.token = 'f'.repeat(32);
  const forgedFile = join(dir, 'forged.ferry');
  writeCheckpointFile(forgedFile, forged, [...sections.entries()]);
  const resumedSession = await startClient(t);
  resumedSession.onReverseRequest = async (request) => ({ processId: runInTestTerminal(t, request).child.pid });
  const started = Date.now();
  await assert.rejects(
    resumedSession.launchWith({ checkpoint: forgedFile, console: 'integratedTerminal', timeout: 60_000 }),
    /the resume in the terminal did not start: the holder at .* does not hand over the program's connections: it holds another checkpoint's/,
  );
  assert.ok(Date.now() - started < 30_000, 'said at once, not after the inspector timeout');
  // The holder still has them all: Resume Locally of the right checkpoint takes them.
  assert.ok(existsSync(manifest.handles.connections!.holder!.path));
  client.say();
  const restored = await ferry(['restore', output]);
  assert.equal(restored.code, 0, restored.stderr);
  await client.exit;
  assert.equal(client.stdout, conversation(20, 5));
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

test('a migration from the editor given up lets the program go on with its connections', async (t) => {
  const dir = tempDir(t, 'ferry-dap-conn-');
  const output = join(dir, 'echo.ferry');
  const { client, manifest, session } = await echoCheckpointedInSession(t, output, 'move');
  const holder = manifest.handles.connections!.holder!;
  assert.ok(existsSync(holder.path), 'a holder has copies of them, for the host');
  await session.customRequest('ferry/release', { then: 'continue' });
  assert.ok(!existsSync(holder.path), "the holder let go of its copies: the program's are the only ones");
  client.say();
  await client.exit;
  // Answered by the program here, on its connection: the holder's release closed nothing under it.
  assert.equal(client.stdout, conversation(20, 5));
});

test(
  'migrated to a host from the editor, the program has its connections relayed there, as by ferry migrate',
  { skip: skipReason },
  async (t) => {
    testEnvUp();
    const dir = tempDir(t, 'ferry-dap-conn-');
    const output = join(dir, 'echo.ferry');
    // The extension's handover (extension/migration.ts): the origin held with then 'move', the
    // checkpoint resumed on the host in a session of its own, then the origin ended.
    const { client, manifest, session } = await echoCheckpointedInSession(t, output, 'move');
    const heldNow = async () => (await withHolders([summarize(output)]))[0].held;
    assert.deepEqual({ ...(await heldNow()), pid: 0 }, { count: 2, pid: 0, relaying: false });
    const resumedSession = await startClient(t);
    const resumed = resumedSession.waitForEvent('ferry/resumed', 60_000);
    await resumedSession.launchWith({
      checkpoint: output,
      host: 'remote2',
      sshConfigFile: SSH_CONFIG,
      hostCwd: remoteDir('dap-migrate'),
    });
    // What the status bar and the Checkpoints view show of the run: its connections, relayed by a stub here.
    const { relay, host } = (await resumed).body as ResumedBody;
    assert.equal(host, 'remote2');
    assert.equal(relay?.connections, 2);
    const stub = await heldNow();
    assert.deepEqual(stub, { count: 2, pid: relay.stubPid, relaying: true });
    const ended = session.waitForEvent('terminated', 30_000);
    await session.customRequest('ferry/release', { then: 'stop' });
    await ended;
    // The origin is gone: every echo from here on came from the host, through the stub.
    client.say();
    await client.exit;
    assert.equal(client.stdout, conversation(20, 5));
    const stubGone = async (): Promise<boolean> => {
      for (let waited = 0; waited < 30_000; waited += 200) {
        if (!existsSync(manifest.handles.connections!.holder!.path)) return true;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      return false;
    };
    assert.ok(await stubGone(), 'the stub ends with the run');
  },
);
