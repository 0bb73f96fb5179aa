// Containers as hosts (issue 18), reached by exec. No container engine runs on this machine or in
// CI, so the containers are made of namespaces as an engine makes them (container-testenv.sh: their
// own filesystem, network, pid space) and reached by the generic form, `--on 'exec:nsenter
// --target PID ... --'`: every byte to and from them goes through the stdio of commands run in
// them, as with `docker exec -i`. The docker:// and podman:// forms build the same command lines
// with another prefix (snapshot/remote/exec-host.test.ts checks them exactly).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { get } from 'node:http';
import { join, relative } from 'node:path';
import { before, describe, it } from 'node:test';
import { ExecHost, parseExecHost } from '../../snapshot/remote/exec-host';
import { restoreRemote, type RelayedConnections } from '../../snapshot/remote/restore';
import { startClient } from '../dap/helpers';
import { stopRun, type RunInfo } from '../../snapshot/remote/runs';
import { RemoteSession, type HostOptions } from '../../snapshot/remote/session';
import { freeLocalPort } from '../../snapshot/remote/ports';
import { shq } from '../../snapshot/remote/shell';
import { linesPrinted, stage } from '../helpers/oracle';
import { checkpointAndStop, conversation, inTempDir, node, startProgram } from '../helpers/live-programs';
import {
  aloneOnPort9229,
  containerEnvUp,
  containerOn,
  driver,
  FAKE_RUNTIME,
  fakeCheckpoint,
  skipReason,
  usr1Pending,
  type TestContainer,
} from './env';
import { baseline, checkpointAndDelete, CORPUS, fetchFiles, ferry, header, writtenFiles } from './oracle-remote';

// Programs that write files, hold descriptors and streams, serve HTTP, import ES modules, loop in async code.
const PROGRAMS = [
  'appending-log-file.js',
  'file-descriptors.js',
  'file-handles.js',
  'fs-write-streams.js',
  'http-server-counts.js',
  'async-main-loop.js',
  'esm-imports.mjs',
  'process-state.js',
].map((file) => join(CORPUS, file));
const fixture = (name: string) => join(__dirname, 'fixtures', name);
const liveFixture = (name: string) => join(__dirname, '..', 'live', 'fixtures', name);

let counter = 0;
/** A Ferry directory of its own in the container (in its own /root, which this machine never sees). */
const containerDir = (name: string) => `/root/ferry-${name}-${process.pid}-${++counter}`;
const on = (container: TestContainer, dir: string) => ['--on', containerOn(container), '--remote-dir', dir];

describe('containers as hosts, reached by exec (namespaces made here)', { skip: skipReason, timeout: 300_000 }, () => {
  let ferryc1: ExecHost;
  before(async () => {
    containerEnvUp();
    ferryc1 = await ExecHost.connect(parseExecHost(containerOn('ferryc1'))!);
  });
  const inContainer = async (command: string) => {
    const result = await ferryc1.exec(command);
    assert.equal(result.code, 0, result.stderr);
    return result.stdout.toString('utf8');
  };

  for (const program of PROGRAMS) {
    const lines = Number((header(program, 'lines') ?? '1').split(',')[0]);
    it(`ferry restore --on: ${relative(CORPUS, program)} after ${lines} line(s), at the same path`, async () => {
      const expected = await baseline(program);
      const origin = await checkpointAndDelete(program, lines);
      const dir = containerDir('oracle');
      try {
        const restored = await ferry(['restore', origin.checkpoint, ...on('ferryc1', dir), '--keep']);
        assert.equal(restored.code, expected.code, restored.stderr);
        assert.match(restored.stderr, /the program runs on exec:nsenter .* at the same path as here/);
        assert.equal((origin.before + restored.stdout).replaceAll(origin.dir, '<dir>'), expected.stdout);
        assert.deepEqual(writtenFiles(program, await fetchFiles(ferryc1, origin.dir)), expected.written);
      } finally {
        rmSync(origin.checkpoint, { force: true });
        await inContainer(`rm -rf ${shq(origin.dir)} ${shq(dir)}`);
      }
    });
  }

  it('ferry migrate --pid: the origin runs until the container took over; every line once', () =>
    migrateLog(async ({ moved, before, dir, expected, program }) => {
      assert.equal(moved.code, 0, moved.stderr);
      assert.match(moved.stderr, /moved to exec:nsenter .* \(the original is ended; program frozen \d+ ms\)/);
      assert.equal(before + moved.stdout, expected.stdout, 'every line exactly once, across the two hosts');
      assert.deepEqual(writtenFiles(program, await fetchFiles(ferryc1, dir)), expected.written);
    }));

  it('ferry migrate --pid: a handover the container refuses leaves the origin going on', () =>
    migrateLog(
      async ({ moved, before, expected }) => {
        assert.equal(moved.code, 70, moved.stderr);
        assert.match(moved.stderr, /job\.log .*; the program goes on here, where it was/);
        assert.equal(before, expected.stdout, 'the origin ran to its end, every line here');
        assert.equal(moved.stdout, '');
      },
      // Another run's log where the program's would go: the restore there refuses to write into it.
      (dir) => inContainer(`mkdir -p ${shq(dir)} && echo another run > ${shq(`${dir}/job.log`)}`),
    ));

  /** Runs migrate-log.js here, migrates it to ferryc1 mid-run (`prepare` readies the container first). */
  async function migrateLog(
    check: (run: {
      moved: { code: number | null; stdout: string; stderr: string };
      before: string;
      dir: string;
      expected: Awaited<ReturnType<typeof baseline>>;
      program: string;
    }) => Promise<void>,
    prepare?: (dir: string) => Promise<unknown>,
  ): Promise<void> {
    const program = fixture('migrate-log.js');
    const expected = await baseline(program);
    const { dir, script } = stage(program);
    const remote = containerDir('migrate');
    try {
      await prepare?.(dir);
      await aloneOnPort9229(async () => {
        const origin = spawn(process.execPath, [script], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
        let before = '';
        origin.stdout.on('data', (chunk: Buffer) => (before += chunk.toString('utf8')));
        const gone = new Promise((resolve) => origin.once('close', resolve));
        await linesPrinted(origin, 3);
        // Held still until migrate signals it, so it cannot finish before the CLI (a fresh Node) is up.
        origin.kill('SIGSTOP');
        const moving = ferry(['migrate', '--pid', String(origin.pid), ...on('ferryc1', remote), '--follow']);
        while (!usr1Pending(origin.pid!)) await new Promise((resolve) => setTimeout(resolve, 10));
        origin.kill('SIGCONT');
        const moved = await moving;
        await gone;
        await check({ moved, before, dir, expected, program });
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await inContainer(`rm -rf ${shq(dir)} ${shq(remote)}`);
    }
  }

  it('a container without Node: a clear ferry: error (69); --ship-node runs it there', async () => {
    // The stand-in runtime and checkpoint (the real runtime is not what this is about).
    const options = {
      host: containerOn('ferryc2'),
      remoteDir: containerDir('nonode'),
      runtime: FAKE_RUNTIME,
      checkpoint: fakeCheckpoint({ stdout: ['ran with a shipped Node'] }),
    };
    const refused = await driver('restore', options);
    assert.equal(refused.code, 69, refused.stderr);
    assert.match(
      refused.stderr,
      /^ferry: Node\.js is not installed on exec:nsenter .* \(no `node` on the PATH of a command run through the exec prefix\)\. Install Node >= 20 there, or pass --ship-node/,
    );
    const shipped = await driver('restore', { ...options, shipNode: true });
    assert.deepEqual([shipped.code, shipped.stdout], [0, 'ran with a shipped Node\n'], shipped.stderr);
  });

  it('--forward reaches a port in the container (its own network) through exec, one command per connection', async () => {
    const port = await freeLocalPort();
    const options = { host: containerOn('ferryc1'), remoteDir: containerDir('forward') };
    const answers: string[] = [];
    const result = await restoreRemote(
      {
        ...options,
        forwardPorts: [port],
        runtime: FAKE_RUNTIME,
        checkpoint: fakeCheckpoint({ listen: port }),
      },
      {
        stdout() {},
        stderr() {},
        notice: (text) => {
          if (text.startsWith(`localhost:${port} now reaches`)) void askThenStop(port, answers, options);
        },
      },
    );
    assert.equal(answers.length, 3, answers.join('|'));
    for (const answer of answers) assert.match(answer, /^hello from pid \d+$/);
    assert.deepEqual(result.end, { kind: 'exited', code: 143 });
    assert.equal(await getOnce(port), '', 'the forward is gone with the run');
  });

  it('a program’s connections are relayed into the container through exec, a half line included', () =>
    inTempDir(async (dir) => {
      const { program, url } = await startProgram(liveFixture('echo-server.js'), [], dir);
      const [, port] = await program.waitFor(/port (\d+)/);
      const client = node([liveFixture('echo-client.js'), port, '40', '10']);
      try {
        await client.waitFor(/^holding$/m); // the server has half of line 11
        await checkpointAndStop(url, join(dir, 'echo.ferry'));
        await program.exit;
        client.say();
        const restored = await ferry(['restore', join(dir, 'echo.ferry'), ...on('ferryc1', containerDir('relay'))]);
        assert.equal(restored.code, 0, restored.stderr);
        assert.match(restored.stderr, /2 connection\(s\) stay here, relayed to exec:nsenter .* by a stub/);
        assert.match(restored.stdout, /conversation ended after 40 lines/);
        await client.exit;
        assert.equal(client.stdout, conversation(40, 10));
      } finally {
        client.stop();
        program.stop();
      }
    }));

  it('Resume on Remote from the editor: the adapter debugs it there through the exec forward', (t) =>
    inTempDir(async (dir) => {
      const { program, url } = await startProgram(liveFixture('echo-server.js'), [], dir);
      const [, port] = await program.waitFor(/port (\d+)/);
      const client = node([liveFixture('echo-client.js'), port, '20', '5']);
      try {
        await client.waitFor(/^holding$/m);
        await checkpointAndStop(url, join(dir, 'echo.ferry'));
        const adapter = await startClient(t);
        const resumed = adapter.waitForEvent('ferry/resumed', 60_000);
        await adapter.launchWith({ checkpoint: join(dir, 'echo.ferry'), host: containerOn('ferryc1') });
        const { relay } = (await resumed).body as { relay?: RelayedConnections };
        assert.equal(relay?.connections, 2);
        client.say();
        await client.exit;
        assert.equal(client.stdout, conversation(20, 5));
      } finally {
        client.stop();
        program.stop();
      }
    }));

  it('--detach with --debug or --forward is refused for a container, by name', async () => {
    const refused = await ferry([
      'restore',
      fakeCheckpoint({}),
      '--on',
      'docker://app',
      '--detach',
      '--forward',
      '8080',
    ]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(
      refused.stderr,
      /--detach with --debug or --forward needs an SSH host: the forwards to docker:\/\/app/,
    );
  });
});

/** One request on a connection of its own (no keep-alive): its body, or '' when it fails. */
function getOnce(port: number): Promise<string> {
  return new Promise((resolve) => {
    const request = get({ host: '127.0.0.1', port, agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => resolve(body));
      response.on('error', () => resolve(''));
    });
    request.on('error', () => resolve(''));
  });
}

/** Three requests through the forward, each on its own connection (its own exec), then the run is stopped. */
async function askThenStop(port: number, answers: string[], options: HostOptions): Promise<void> {
  for (let i = 0; i < 100 && answers.length < 3; i++) {
    const answer = await getOnce(port);
    if (answer) answers.push(answer);
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const session = await RemoteSession.open(options, []);
  const [run] = JSON.parse(await session.helper('ps')) as RunInfo[];
  await stopRun(session, run.id, false);
}
