// `ferry gc --on HOST`: ended runs and the blobs nothing uses any more go; running runs, their blobs,
// and Ferry's own files stay; so do recent ones unless asked (--older-than 0).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { controlDir, driver, fakeCheckpoint, FAKE_RUNTIME, remoteDir, skipReason, SSH_CONFIG, testEnvUp } from './env';

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('ferry gc --on HOST', { skip: skipReason, timeout: 120_000 }, () => {
  const control = controlDir();
  before(testEnvUp);
  after(() => control.close());

  it('removes ended runs and unused blobs, keeps what a running run or Ferry uses', async () => {
    const options = {
      host: 'loopback1',
      sshConfig: SSH_CONFIG,
      controlDir: control.dir,
      remoteDir: remoteDir('gc'),
      runtime: FAKE_RUNTIME,
    };
    const blobs = () =>
      readdirSync(`${options.remoteDir}/blobs`)
        .filter((name) => !name.startsWith('.'))
        .sort();
    const ended = [fakeCheckpoint({ stdout: ['one'] }), fakeCheckpoint({ stdout: ['two'] })];
    for (const checkpoint of ended) {
      const restored = await driver('restore', { ...options, checkpoint, keepRun: true });
      assert.equal(restored.code, 0, restored.stderr);
    }
    const running = fakeCheckpoint({ ticks: 600, tickMs: 50 });
    const started = await driver('restore', { ...options, checkpoint: running, detach: true });
    const id = /running on loopback1 as (\S+)/.exec(started.stderr)![1];
    mkdirSync(`${options.remoteDir}/blobs/.in-999999`); // a transfer cut off: its shell is gone
    const before = blobs();

    const young = await driver('gc', options);
    assert.match(
      young.stderr,
      /removed 0 ended run\(s\) and 0 unused blob\(s\)/,
      'by default only what is a week old goes',
    );
    assert.deepEqual(blobs(), before);

    const collected = await driver('gc', { ...options, olderThanDays: 0 });
    assert.equal(collected.code, 0, collected.stderr);
    assert.match(collected.stderr, /removed 2 ended run\(s\) and 2 unused blob\(s\) \(\d+ B\) on loopback1/);
    assert.deepEqual(
      blobs(),
      before.filter((hash) => !ended.map(sha256).includes(hash)),
      "the ended runs' checkpoints, nothing else",
    );
    assert.ok(blobs().includes(sha256(running)) && blobs().includes(sha256(FAKE_RUNTIME)));
    assert.ok(!readdirSync(`${options.remoteDir}/blobs`).includes('.in-999999'));
    const ps = JSON.parse((await driver('ps', { ...options, json: true })).stdout) as Array<{
      id: string;
      state: string;
    }>;
    assert.deepEqual(
      ps.map((run) => [run.id, run.state]),
      [[id, 'running']],
    );

    await driver('stop', { ...options, runId: id, remove: true });
    await driver('gc', { ...options, olderThanDays: 0 });
    assert.ok(!blobs().includes(sha256(running)), "a removed run's checkpoint goes with the next gc");
  });
});
