// Signed checkpoints restored on a host: the key travels to the host as a private file through ssh's
// stdin (never on a command line, which `ps` shows to every user), and a tampered checkpoint is
// refused here before anything is sent or run.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { remoteDir, REMOTE_USER, skipReason } from './env';
import { baseline, checkpointAndDelete, ferry, onHost, onlyRun, withCliHost } from './oracle-remote';

const PROGRAM = join(__dirname, 'fixtures', 'migrate-state.js');
const KEY = 'ferry-test-key-7f3a9c';

function withoutKey(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.FERRY_KEY;
  return env;
}

describe('signed checkpoints on a host', { skip: skipReason, timeout: 120_000 }, () => {
  withCliHost('loopback1');

  it('restores with FERRY_KEY; the key is a 0600 file while it starts, on no command line, and gone once read', async () => {
    const expected = await baseline(PROGRAM);
    const origin = await checkpointAndDelete(PROGRAM, 3, Buffer.from(KEY));
    const dir = remoteDir('signed');
    try {
      const restoring = ferry(['restore', origin.checkpoint, ...onHost('loopback1', dir), '--keep'], {
        ...process.env,
        FERRY_KEY: KEY,
      });
      let seen: { mode: number; owner: string } | undefined;
      let leaked = '';
      let goneWhileRunning = false;
      for (let settled = false; !settled;) {
        settled = await Promise.race([
          restoring.then(() => true),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20)),
        ]);
        const keyFile = spawnSync('sh', ['-c', `ls ${dir}/runs/*/key 2>/dev/null`], { encoding: 'utf8' }).stdout.trim();
        if (seen && !keyFile && !settled) goneWhileRunning = true;
        if (keyFile && !seen) {
          const stat = statSync(keyFile, { throwIfNoEntry: false });
          if (stat)
            seen = {
              mode: stat.mode & 0o777,
              owner: execFileSync('stat', ['-c', '%U', keyFile], { encoding: 'utf8' }).trim(),
            };
        }
        leaked ||=
          execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
            .split('\n')
            .find((line) => line.includes(KEY) && !line.includes('FERRY_KEY')) ?? '';
      }
      const restored = await restoring;
      assert.equal(restored.code, 0, restored.stderr);
      assert.equal(origin.before + restored.stdout, expected.stdout);
      assert.deepEqual(seen, { mode: 0o600, owner: REMOTE_USER });
      assert.equal(leaked, '', 'no process shows the key in its arguments');
      const run = await onlyRun('loopback1', dir);
      assert.ok(
        goneWhileRunning && !existsSync(`${dir}/runs/${run.id}/key`),
        'the key is removed once the restore has read it, while the program runs',
      );
    } finally {
      rmSync(origin.checkpoint, { force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a tampered or unverifiable checkpoint before anything reaches the host', async () => {
    const origin = await checkpointAndDelete(PROGRAM, 1, Buffer.from(KEY));
    const dir = remoteDir('signed');
    try {
      const bytes = readFileSync(origin.checkpoint);
      bytes[bytes.length - 100] ^= 0x01; // inside the last section, which its own hash would catch unsigned too
      const tampered = `${origin.checkpoint}.tampered`;
      writeFileSync(tampered, bytes);
      const refused = await ferry(['restore', tampered, ...onHost('loopback1', dir)], {
        ...process.env,
        FERRY_KEY: KEY,
      });
      assert.equal(refused.code, 3, refused.stderr);
      assert.match(refused.stderr, /ferry: .*(signature does not match|corrupt)/);
      const wrongKey = await ferry(['restore', origin.checkpoint, ...onHost('loopback1', dir)], {
        ...process.env,
        FERRY_KEY: 'another key, as long as any',
      });
      assert.equal(wrongKey.code, 3);
      assert.match(wrongKey.stderr, /checkpoint signature does not match: it was altered, or signed with another key/);
      const noKey = await ferry(['restore', origin.checkpoint, ...onHost('loopback1', dir)], withoutKey());
      assert.equal(noKey.code, 3);
      assert.match(noKey.stderr, /checkpoint is signed: give the key/);
      // A key given trusts only checkpoints signed with it: an unsigned one (anyone can write one) is refused.
      const unsigned = await checkpointAndDelete(PROGRAM, 1);
      const notSigned = await ferry(['restore', unsigned.checkpoint, ...onHost('loopback1', dir)], {
        ...process.env,
        FERRY_KEY: KEY,
      });
      rmSync(unsigned.checkpoint, { force: true });
      assert.equal(notSigned.code, 3);
      assert.match(notSigned.stderr, /checkpoint is not signed, and a signature is required/);
      assert.ok(!existsSync(dir), 'nothing was sent: not even the Ferry directory exists on the host');
      rmSync(tampered);
    } finally {
      rmSync(origin.checkpoint, { force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
