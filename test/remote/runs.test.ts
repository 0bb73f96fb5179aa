// Runs on a host through the CLI functions: streamed output, exit code, stdin, detach with ps/logs/stop,
// a failing restore, the debug tunnel and ports forwarded back.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import CDP from 'chrome-remote-interface';
import { freeLocalPort } from '../../snapshot/remote/ports';
import { restoreRemote } from '../../snapshot/remote/restore';
import { stopRun } from '../../snapshot/remote/runs';
import { RemoteSession } from '../../snapshot/remote/session';
import { controlDir, driver, fakeCheckpoint, FAKE_RUNTIME, remoteDir, skipReason, SSH_CONFIG, testEnvUp } from './env';

describe('remote runs', { skip: skipReason, timeout: 240_000 }, () => {
  const control = controlDir();
  const on = (name: string) => ({
    host: name,
    sshConfig: SSH_CONFIG,
    controlDir: control.dir,
    remoteDir: remoteDir(name),
    runtime: FAKE_RUNTIME,
  });
  before(testEnvUp);
  after(() => control.close());

  it("streams stdout and stderr and exits with the program's code", async () => {
    const result = await driver('restore', {
      ...on('loopback1'),
      checkpoint: fakeCheckpoint({ stdout: ['out 1', 'out 2'], stderr: ['err 1'], exit: 3 }),
    });
    assert.equal(result.stdout, 'out 1\nout 2\n');
    assert.equal(result.stderr, 'err 1\n');
    assert.equal(result.code, 3);
  });

  it('forwards stdin, and its end', async () => {
    const result = await driver(
      'restore',
      { ...on('loopback1'), checkpoint: fakeCheckpoint({ echoStdin: true, exit: 5 }) },
      'abc\ndef\n',
    );
    assert.equal(result.stdout, 'stdin:ABC\nDEF\n');
    assert.equal(result.code, 5);
  });

  it('reports a restore that fails before resuming, and cleans up', async () => {
    const options = on('loopback1');
    const result = await driver('restore', {
      ...options,
      checkpoint: fakeCheckpoint({ fail: 'no such builtin: fs.frobnicate' }),
    });
    assert.equal(result.code, 70);
    assert.match(result.stderr, /ferry: the restore on loopback1 failed: no such builtin: fs\.frobnicate/);
    const ps = await driver('ps', { ...options, json: true });
    assert.deepEqual(JSON.parse(ps.stdout), []);
  });

  it('a run whose supervisor was killed is reported as such, with what it left', async () => {
    const options = on('loopback1');
    const started = await driver('restore', {
      ...options,
      detach: true,
      checkpoint: fakeCheckpoint({ ticks: 6000, tickMs: 50 }),
    });
    const id = /running on loopback1 as (\S+)/.exec(started.stderr)![1];
    const launcher = Number(readFileSync(`${options.remoteDir}/runs/${id}/launcher.pid`, 'utf8'));
    process.kill(launcher, 'SIGKILL'); // the host's kill -9, an OOM killer
    const logs = await driver('logs', { ...options, runId: id });
    assert.match(
      logs.stderr,
      new RegExp(
        `ended without an exit code \\(its supervisor was killed; supervisor pid ${launcher}; files: launcher\\.pid pid stdin\\.keeper\\)`,
      ),
    );
    await driver('stop', { ...options, runId: id, remove: true });
  });

  it('--detach leaves the run going; ps, logs and stop manage it', async () => {
    const options = on('loopback1');
    const started = await driver('restore', {
      ...options,
      detach: true,
      checkpoint: fakeCheckpoint({ ticks: 6000, tickMs: 50 }),
    });
    assert.equal(started.code, 0, started.stderr);
    const id = /running on loopback1 as (\S+)/.exec(started.stderr)?.[1];
    assert.ok(id, started.stderr);
    assert.match(started.stderr, /ferry logs --on loopback1 --ssh-config \S+ \S+/);
    const ps = JSON.parse((await driver('ps', { ...options, json: true })).stdout);
    assert.equal(ps.length, 1);
    assert.equal(ps[0].id, id);
    assert.equal(ps[0].state, 'running');
    const table = await driver('ps', options);
    assert.match(table.stdout, new RegExp(`^RUN +STATE.*\\n${id} +running`));
    const stopped = await driver('stop', { ...options, runId: id!.slice(0, 17) });
    assert.match(stopped.stderr, new RegExp(`stopped ${id}`));
    const logs = await driver('logs', { ...options, runId: id });
    assert.match(logs.stdout, /^tick 1\ntick 2\n/);
    assert.equal(logs.code, 143, 'SIGTERM');
    await driver('stop', { ...options, runId: id, remove: true });
    assert.deepEqual(JSON.parse((await driver('ps', { ...options, json: true })).stdout), []);
    const unknown = await driver('logs', { ...options, runId: 'nope' });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no run "nope"/);
  });

  it('--debug forwards the remote inspector to a local port, its session URL told to us only', async () => {
    let url = '';
    let listed = '';
    const result = await restoreRemote(
      { ...on('loopback1'), debug: true, checkpoint: fakeCheckpoint({ stdout: ['debugged'] }) },
      {
        stdout: (chunk) => void (url += `|${chunk}`),
        stderr: () => {},
        notice: (text) => {
          const told = /ws:\/\/127\.0\.0\.1:\d+\/\S+/.exec(text);
          if (!told) return;
          // The port alone does not give the session away (no /json); the URL we were told opens it.
          void (async () => {
            const local = new URL(told[0]).port;
            listed = await fetch(`http://127.0.0.1:${local}/json/list`).then(
              (response) => response.text(),
              (error: Error) => `refused: ${error.message}`,
            );
            const client = await CDP({ target: told[0], local: true });
            await client.Runtime.runIfWaitingForDebugger();
            await client.close();
          })();
        },
      },
    );
    assert.match(result.inspectorUrl ?? '', /^ws:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]{36}$/);
    assert.doesNotMatch(listed, /ws:\/\//, `the /json endpoint named the session: ${listed}`);
    assert.deepEqual(result.end, { kind: 'exited', code: 0 });
    assert.equal(url, '|debugged\n');
  });

  it('forwards a port the restored program listens on back to this machine', async () => {
    // remote1 is another network stack: its 127.0.0.1:PORT is reachable from here only through the tunnel.
    const port = await freeLocalPort();
    const options = on('remote1');
    let answer = '';
    let stopped: Promise<void> | undefined; // awaited below: nothing of this test may outlive it
    const result = await restoreRemote(
      { ...options, forwardPorts: [port], checkpoint: fakeCheckpoint({ listen: port }) },
      {
        stdout: () => {},
        stderr: () => {},
        notice: (text) => {
          if (!text.startsWith(`localhost:${port} now reaches`)) return;
          stopped = (async () => {
            for (let i = 0; i < 50 && !answer; i++) {
              answer = await fetch(`http://127.0.0.1:${port}/`).then(
                (response) => response.text(),
                () => '',
              );
              if (!answer) await new Promise((resolve) => setTimeout(resolve, 100));
            }
            const session = await RemoteSession.open(options, []);
            const [run] = JSON.parse(await session.helper('ps'));
            await stopRun(session, run.id, false);
          })();
        },
      },
    );
    await stopped;
    assert.match(answer, /^hello from pid \d+$/);
    assert.deepEqual(result.end, { kind: 'exited', code: 143 });
    assert.ok(!existsSync(result.run.dir), 'a finished foreground run is removed');
    await assert.rejects(fetch(`http://127.0.0.1:${port}/`), 'the tunnel is gone with the run');
  });
});
