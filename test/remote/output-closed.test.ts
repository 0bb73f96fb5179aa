// `ferry logs … | head`: when the reader of our output goes away, the CLI ends quietly (as a Unix
// tool ended by SIGPIPE), with no EPIPE crash and no stack trace; the run on the host goes on.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { controlDir, driver, fakeCheckpoint, FAKE_RUNTIME, remoteDir, skipReason, SSH_CONFIG, testEnvUp } from './env';

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');

describe('output closed under a streaming command', { skip: skipReason, timeout: 120_000 }, () => {
  const control = controlDir();
  before(testEnvUp);
  after(() => control.close());

  it('ferry logs ends quietly when its reader stops reading', async () => {
    const options = {
      host: 'loopback1',
      sshConfig: SSH_CONFIG,
      controlDir: control.dir,
      remoteDir: remoteDir('loopback1'),
      runtime: FAKE_RUNTIME,
    };
    const started = await driver('restore', {
      ...options,
      detach: true,
      checkpoint: fakeCheckpoint({ ticks: 6000, tickMs: 20 }),
    });
    const id = /running on loopback1 as (\S+)/.exec(started.stderr)?.[1];
    assert.ok(id, started.stderr);
    try {
      const logs = spawn(
        process.execPath,
        [CLI, 'logs', '--on', 'loopback1', '--ssh-config', SSH_CONFIG, '--remote-dir', options.remoteDir, id],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      logs.stderr.on('data', (chunk) => (stderr += chunk));
      // Like `head -1`: read the first output, then close the pipe; the ticks that follow meet EPIPE.
      logs.stdout.once('data', () => logs.stdout.destroy());
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
        logs.on('close', (c, s) => resolve([c, s])),
      );
      assert.equal(stderr, '');
      assert.deepEqual([code, signal], [141, null]);
      const ps = JSON.parse((await driver('ps', { ...options, json: true })).stdout) as Array<{
        id: string;
        state: string;
      }>;
      assert.equal(ps.find((run) => run.id === id)?.state, 'running', 'the run goes on');
    } finally {
      await driver('stop', { ...options, runId: id, remove: true });
    }
  });
});
