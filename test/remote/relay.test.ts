// Live connections relayed by a stub on the origin (issue 17, remote half), driven as a user would:
// programs under `ferry run`, their peers in processes of their own on this machine, `ferry
// migrate` and `ferry restore --on` to hosts with networks of their own (remote2; remote1, whose
// link is cut). The peers keep their connections to this machine; the program answers them from
// the host, through the stub.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunInfo } from '../../snapshot/remote/runs';
import {
  askHolderRaw,
  checkpointAndStop,
  conversation,
  ferry,
  FERRY,
  holderKey,
  inTempDir,
  node,
  startProgram,
  withEchoConversation,
  withKeepAliveClient,
} from '../helpers/live-programs';
import { startClient } from '../dap/helpers';
import { chat } from '../helpers/ws-chat';
import type { RelayedConnections } from '../../snapshot/remote/restore';
import { aloneOnRemote1, remoteDir, REMOTE1_NAMESPACE, sh, skipReason, SSH_CONFIG, testEnvUp } from './env';

const liveFixture = (name: string) => join(__dirname, '..', 'live', 'fixtures', name);
const fixture = (name: string) => join(__dirname, 'fixtures', name);
const onHost = (host: string, dir: string) => ['--on', host, '--ssh-config', SSH_CONFIG, '--remote-dir', dir];
const ssh = (host: string, command: string) =>
  execFileSync('ssh', ['-F', SSH_CONFIG, host, command], { encoding: 'utf8' }).trim();

async function runsOn(host: string, dir: string): Promise<RunInfo[]> {
  const listed = await ferry(['ps', ...onHost(host, dir), '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  return JSON.parse(listed.stdout) as RunInfo[];
}

/** Polls `ferry ps` until `check` holds for the one run there. */
async function untilRun(host: string, dir: string, check: (run: RunInfo) => boolean, what: string): Promise<RunInfo> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [run] = await runsOn(host, dir);
    if (run && check(run)) return run;
    if (Date.now() > deadline) throw new Error(`${what}: never (last: ${JSON.stringify(run)})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Whether `pid` ends (or is a zombie no one reaped) within 15 s. */
async function ends(pid: number): Promise<boolean> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
    if (!stat || / Z /.test(stat)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * The echo client's connection ended, cleanly or by a reset, and nothing else went wrong: every
 * echo it got, in order, then `closed`.
 */
function assertEndedWithoutLoss(transcript: string): void {
  const lines = transcript.split('\n').filter((line) => line !== '' && line !== 'holding');
  assert.equal(lines.at(-1), 'closed', transcript);
  const ending = lines.at(-2) === 'error ECONNRESET' ? 2 : 1;
  const echoes = lines.slice(0, -ending);
  assert.deepEqual(
    echoes,
    echoes.map((_, i) => `${i + 1}: line ${i + 1}`),
    transcript,
  );
}

describe('connections relayed by a stub on the origin', { skip: skipReason, timeout: 300_000 }, () => {
  before(testEnvUp);
  after(() => sh(`ip -n ${REMOTE1_NAMESPACE} link set vr-${REMOTE1_NAMESPACE} up`));

  it('a keep-alive client goes on through a migration, answered from the host, with no error', () =>
    inTempDir(async (here) => {
      const dir = remoteDir('relay-migrate');
      const hostNetwork = ssh('remote2', 'readlink /proc/self/ns/net');
      const requests = 400;
      const server = { script: fixture('relayed-http-server.js'), cwd: here };
      await withKeepAliveClient(requests, 0, server, async ({ url, client }) => {
        await client.waitFor(/^\/20 /m);
        const moved = await ferry(['migrate', '--inspect', url, ...onHost('remote2', dir)]);
        assert.equal(moved.code, 0, moved.stderr);
        const [, stubPid] = /relayed to remote2 by a stub \(pid (\d+)\)/.exec(moved.stderr) ?? [];
        assert.ok(stubPid, moved.stderr);
        const run = await untilRun('remote2', dir, (r) => r.relay?.state === 'relaying', 'the relay shows in ferry ps');
        assert.equal(run.relay!.stubPid, Number(stubPid));
        assert.equal(await client.exit, 0);
        const responses = client.stdout.split('\n').filter((line) => line.startsWith('/'));
        assert.deepEqual(
          responses.map((line) => line.replace(/, served in .*/, '')),
          Array.from(
            { length: requests },
            (_, i) => `/${i === requests - 1 ? 'last' : i + 1} #${i + 1} on its connection, ${i + 1} in all`,
          ),
        );
        assert.match(client.stdout, /errors 0, connections 1\n/);
        assert.ok(responses[0].endsWith(`served in ${readlinkSync('/proc/self/ns/net')}`));
        assert.ok(responses.at(-1)!.endsWith(`served in ${hostNetwork}`), responses.at(-1));
        // The program ends there once its connection and its server close: its stub with it.
        await untilRun('remote2', dir, (r) => r.state === 'exited' && r.relay?.state === 'ended', 'the run ends');
        assert.ok(await ends(Number(stubPid)), 'the stub ends with the run');
      });
    }));

  it('a net conversation goes on across restore --on, its half line included', () =>
    inTempDir(async (dir) => {
      await withEchoConversation(40, 10, { cwd: dir }, async ({ program, url, client }) => {
        await client.waitFor(/^holding$/m); // the server has half of line 11
        const manifest = await checkpointAndStop(url, join(dir, 'echo.ferry'));
        assert.equal(manifest.handles.connections!.sockets.length, 2);
        await program.exit;
        client.say();
        const restored = await ferry([
          'restore',
          join(dir, 'echo.ferry'),
          ...onHost('remote2', remoteDir('relay-restore')),
        ]);
        assert.equal(restored.code, 0, restored.stderr);
        assert.match(restored.stderr, /2 connection\(s\) stay here, relayed to remote2 by a stub/);
        assert.match(restored.stdout, /conversation ended after 40 lines/);
        await client.exit;
        assert.equal(client.stdout, conversation(40, 10));
        assert.ok(!existsSync(manifest.handles.connections!.holder!.path), 'the stub is gone with the run');
      });
    }));

  it('a ws chat restored on the host: three members here keep their connections, every transcript as uninterrupted', async () => {
    const expected = await chat();
    const dir = remoteDir('relay-chat');
    const moved = await chat((checkpoint) => ferry(['restore', checkpoint, ...onHost('remote2', dir)]));
    assert.equal(moved.restored?.code, 0, moved.restored?.stderr);
    assert.match(moved.restored!.stderr, /4 connection\(s\) stay here, relayed to remote2 by a stub/);
    assert.deepEqual(moved.members, expected.members);
    assert.equal(moved.server, expected.server);
  });

  it('Ctrl-C on restore --on ends the run there, and the stub with it', () =>
    inTempDir(async (dir) => {
      await withEchoConversation(20, 5, { cwd: dir }, async ({ program, url, client }) => {
        await client.waitFor(/^holding$/m);
        await checkpointAndStop(url, join(dir, 'echo.ferry'));
        await program.exit;
        const remote = remoteDir('relay-interrupt');
        const restore = node([FERRY, 'restore', join(dir, 'echo.ferry'), ...onHost('remote2', remote), '--keep']);
        const [, stubPid] = await restore.waitFor(/by a stub \(pid (\d+)\)/);
        await untilRun('remote2', remote, (r) => r.relay?.state === 'relaying', 'the relay is up');
        restore.child.kill('SIGINT');
        await restore.exit;
        assert.ok(await ends(Number(stubPid)), 'the stub ends with the run');
        await client.waitFor(/^closed$/m);
        const [run] = await runsOn('remote2', remote);
        assert.equal(run.relay?.state, 'ended');
      });
    }));

  it("the stub refuses a release, even its owner's, while the run on the host has the connections", () =>
    inTempDir(async (dir) => {
      await withEchoConversation(20, 5, { cwd: dir }, async ({ program, url, client }) => {
        await client.waitFor(/^holding$/m);
        const output = join(dir, 'echo.ferry');
        const holder = (await checkpointAndStop(url, output)).handles.connections!.holder!;
        await program.exit;
        const remote = remoteDir('relay-release');
        const restored = await ferry(['restore', output, ...onHost('remote2', remote), '--detach']);
        assert.equal(restored.code, 0, restored.stderr);
        const [, stubPid] = /by a stub \(pid (\d+)\)/.exec(restored.stderr) ?? [];
        await untilRun('remote2', remote, (r) => r.relay?.state === 'relaying', 'the relay is up');
        // Asked by hand, with the checkpoint's token and the holder's key: the holder itself refuses.
        assert.equal(await askHolderRaw(holder, `release ${holder.token} ${holderKey(holder)}`), `relaying ${stubPid}`);
        const released = await ferry(['release', output]);
        assert.equal(released.code, 1);
        assert.match(released.stderr, /ferry: their holder \(pid \d+\) keeps them: it relays them to a run on a host/);
        // The conversation goes on, answered from the host, with nothing lost.
        client.say();
        await client.exit;
        assert.equal(client.stdout, conversation(20, 5));
        await untilRun('remote2', remote, (r) => r.state === 'exited', 'the run ends');
        assert.ok(await ends(Number(stubPid)), 'the stub ends with the run');
      });
    }));

  it('ferry stop ends the stub too, when the host cannot tell it (its relay helper frozen)', () =>
    inTempDir(async (dir) => {
      await withEchoConversation(20, 5, { cwd: dir }, async ({ program, url, client }) => {
        await client.waitFor(/^holding$/m);
        await checkpointAndStop(url, join(dir, 'echo.ferry'));
        await program.exit;
        const remote = remoteDir('relay-stop');
        const restored = await ferry(['restore', join(dir, 'echo.ferry'), ...onHost('remote2', remote), '--detach']);
        assert.equal(restored.code, 0, restored.stderr);
        const [, stubPid] = /by a stub \(pid (\d+)\)/.exec(restored.stderr) ?? [];
        const run = await untilRun('remote2', remote, (r) => r.relay?.state === 'relaying', 'the relay is up');
        // The host's end of the relay (it shares our pids): stopped, it says no bye and no ping; the
        // stub would take 10 s of silence to call the link lost, far longer than the stop takes.
        const helperCommand = `^[^ ]*node [^ ]*/helper-[0-9a-f]*[.]js relay [^ ]* ${run.id}$`;
        const helper = Number(execFileSync('pgrep', ['-f', helperCommand], { encoding: 'utf8' }).trim());
        process.kill(helper, 'SIGSTOP');
        try {
          const stopped = await ferry(['stop', ...onHost('remote2', remote), run.id]);
          assert.equal(stopped.code, 0, stopped.stderr);
          assert.ok(
            !existsSync(`/proc/${stubPid}/cmdline`) || readFileSync(`/proc/${stubPid}/cmdline`, 'utf8') === '',
            'the stub ended with the stop',
          );
          await client.waitFor(/^closed$/m);
        } finally {
          process.kill(helper, 'SIGKILL');
        }
      });
    }));

  it('a program keeps its connection to a server on the origin after restore --on', () =>
    inTempDir(async (dir) => {
      const server = node([liveFixture('line-server.js'), '10']);
      const [, port] = await server.waitFor(/port (\d+)/);
      const { program, url } = await startProgram(liveFixture('line-client.js'), [port, '30'], dir);
      try {
        await server.waitFor(/^holding$/m); // the program waits for pong 10
        await checkpointAndStop(url, join(dir, 'client.ferry'));
        await program.exit;
        const before = program.stdout.split('\n').filter((line) => line.startsWith('pong'));
        server.say();
        const restored = await ferry([
          'restore',
          join(dir, 'client.ferry'),
          ...onHost('remote2', remoteDir('relay-client')),
        ]);
        assert.equal(restored.code, 0, restored.stderr);
        const after = restored.stdout.split('\n').filter((line) => line.startsWith('pong'));
        assert.deepEqual(
          [...before, ...after],
          Array.from({ length: 30 }, (_, i) => `pong ${i + 1}`),
        );
        assert.match(restored.stdout, /^connection closed$/m);
        await server.exit;
        assert.match(server.stdout, /^connections 1, lines 30$/m);
      } finally {
        program.stop();
        server.stop();
      }
    }));

  it('on a host that shares our addresses, the server listens there itself; its connection is relayed', () =>
    inTempDir(async (dir) => {
      await withKeepAliveClient(60, 10, { cwd: dir }, async ({ program, url, client }) => {
        await client.waitFor(/^holding$/m);
        await checkpointAndStop(url, join(dir, 'server.ferry'));
        await program.exit;
        const remote = remoteDir('relay-shared');
        const cwd = join(remote, 'job');
        const restored = ferry(['restore', join(dir, 'server.ferry'), ...onHost('loopback1', remote), '--cwd', cwd]);
        await untilRun('loopback1', remote, (r) => r.relay?.state === 'relaying', 'the relay is up');
        client.say();
        const { code, stdout, stderr } = await restored;
        assert.equal(code, 0, stderr);
        assert.match(stdout, /closed after 60 requests/);
        await client.exit;
        assert.match(client.stdout, /errors 0, connections 1\n/);
        assert.match(client.stdout, /^\/last #60 on its connection, 60 in all$/m);
      });
    }));

  it('resumed on a host from the editor, the debug adapter says which connections are relayed', (t) =>
    inTempDir(async (dir) => {
      await withEchoConversation(20, 5, { cwd: dir }, async ({ url, client }) => {
        await client.waitFor(/^holding$/m);
        await checkpointAndStop(url, join(dir, 'echo.ferry'));
        const adapter = await startClient(t);
        const resumed = adapter.waitForEvent('ferry/resumed', 60_000);
        await adapter.launchWith({ checkpoint: join(dir, 'echo.ferry'), host: 'remote2', sshConfigFile: SSH_CONFIG });
        const { relay } = (await resumed).body as { relay?: RelayedConnections };
        assert.equal(relay?.connections, 2);
        client.say();
        await client.exit;
        assert.equal(client.stdout, conversation(20, 5));
      });
    }));

  it('a dropped link: the program sees its relayed connection fail, the stub closes the real one', () =>
    aloneOnRemote1(() =>
      inTempDir(async (dir) => {
        const remote = remoteDir('relay-linkcut');
        await withEchoConversation(
          100000,
          5,
          { script: fixture('relayed-echo-server.js'), cwd: dir },
          async ({ program, url, client }) => {
            await client.waitFor(/^holding$/m);
            const manifest = await checkpointAndStop(url, join(dir, 'echo.ferry'));
            await program.exit;
            const restored = await ferry([
              'restore',
              join(dir, 'echo.ferry'),
              ...onHost('remote1', remote),
              '--detach',
            ]);
            assert.equal(restored.code, 0, restored.stderr);
            const [, stubPid] = /by a stub \(pid (\d+)\)/.exec(restored.stderr) ?? [];
            await untilRun('remote1', remote, (r) => r.relay?.state === 'relaying', 'the relay is up');
            client.say();
            await client.waitFor(/^20: line 20$/m);
            sh(`ip -n ${REMOTE1_NAMESPACE} link set vr-${REMOTE1_NAMESPACE} down`);
            // The origin's end: the stub closes the peer's connection and ends. How the peer sees it end
            // depends on where its own bytes are (the kernel's rule, not Ferry's): a clean close, or a
            // reset when it wrote after the close (the second half of a line) or its bytes were unread.
            await client.waitFor(/^closed$/m, 60_000);
            assertEndedWithoutLoss(client.stdout);
            assert.ok(await ends(Number(stubPid)), 'the stub ends');
            const holder = manifest.handles.connections!.holder!.path;
            assert.ok(!existsSync(holder));
            assert.match(readFileSync(holder.replace(/\.sock$/, '.log'), 'utf8'), / lost: /);
            // The host's end: the program's socket fails (it goes on), and ps says the link was lost.
            sh(`ip -n ${REMOTE1_NAMESPACE} link set vr-${REMOTE1_NAMESPACE} up`);
            const run = await untilRun(
              'remote1',
              remote,
              (r) => r.relay?.state === 'lost',
              'the host says the link is lost',
            );
            assert.equal(run.state, 'running');
            const out = ssh('remote1', `cat ${remote}/runs/${run.id}/out`);
            assert.match(out, /^connection error ECONNRESET$/m);
            assert.match(out, /^connection closed after \d+ lines$/m);
            // The stop ends the program on the host (it shares our pids), or fails this test: never left running.
            const stopped = await ferry(['stop', ...onHost('remote1', remote), run.id, '--remove']);
            assert.equal(stopped.code, 0, stopped.stderr);
            assert.ok(await ends(run.pid!), `the program (pid ${run.pid}) ends`);
            assert.deepEqual(await runsOn('remote1', remote), []);
          },
        );
      }),
    ));
});
