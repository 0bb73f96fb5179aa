// `migrate --pid` closes the inspector it opened with SIGUSR1 on every path where the origin goes
// on: after `--clone`, and after a refused handover (issue 20: it stayed open to every local user).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listeningPorts } from '../../snapshot/target/node-process';
import { aloneOnPort9229, controlDir, driver, remoteDir, skipReason, SSH_CONFIG, TESTENV, testEnvUp } from './env';

/** A counter; `ballast` bytes of heap make its checkpoint too large for the 1 MiB remote disk. */
function startCounter(ballast: number): { child: ChildProcess; dir: string; ticks(): Promise<void> } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-migrate-insp-'));
  writeFileSync(
    path.join(dir, 'counter.js'),
    `const ballast = 'x'.repeat(${ballast}) + Math.random(); let n = 0; setInterval(() => console.log('n=' + ++n + ' ' + ballast.length), 50);`,
  );
  const child = spawn(process.execPath, ['counter.js'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
  const ticks = () => new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return { child, dir, ticks };
}

const listensOn9229 = (pid: number) => listeningPorts(pid).includes(9229);

describe('migrate --pid closes the inspector it opened', { skip: skipReason, timeout: 120_000 }, () => {
  const control = controlDir();
  before(testEnvUp);
  const smallDisk = `${TESTENV}/smalldisk/migrate-insp-${process.pid}`;
  after(() => {
    control.close();
    rmSync(smallDisk, { recursive: true, force: true });
  });

  it('after --clone: the original goes on, its inspector closed', () =>
    aloneOnPort9229(async () => {
      const origin = startCounter(0);
      const remote = remoteDir('migrate-insp');
      // loopback1 shares this machine's disk, where the program's directory is not its user's.
      const host = { host: 'loopback1', sshConfig: SSH_CONFIG, controlDir: control.dir, remoteDir: remote };
      let run: string | undefined;
      try {
        await origin.ticks();
        const cloned = await driver('migrate', { ...host, pid: origin.child.pid, clone: true, cwd: `${remote}/work` });
        assert.equal(cloned.code, 0, cloned.stderr);
        run = /cloned to loopback1 as (\S+)/.exec(cloned.stderr)?.[1];
        assert.ok(run, cloned.stderr);
        assert.equal(listensOn9229(origin.child.pid!), false, 'the inspector is closed when migrate returns');
        await origin.ticks(); // the original goes on
      } finally {
        if (run) await driver('stop', { ...host, runId: run, remove: true });
        origin.child.kill('SIGKILL');
        rmSync(origin.dir, { recursive: true, force: true });
      }
    }));

  it('after a refused handover: the program goes on here, its inspector closed', () =>
    aloneOnPort9229(async () => {
      const origin = startCounter(2_000_000);
      try {
        await origin.ticks();
        const failed = await driver('migrate', {
          pid: origin.child.pid,
          host: 'loopback1',
          sshConfig: SSH_CONFIG,
          controlDir: control.dir,
          remoteDir: smallDisk,
          cwd: `${smallDisk}/work`,
        });
        assert.equal(failed.code, 69, failed.stderr);
        assert.match(failed.stderr, /the program goes on here, where it was/);
        assert.equal(listensOn9229(origin.child.pid!), false, 'the inspector is closed when migrate returns');
        await origin.ticks();
      } finally {
        origin.child.kill('SIGKILL');
        rmSync(origin.dir, { recursive: true, force: true });
      }
    }));
});
