// Migration of a real program to a host: the origin stays frozen until the host has resumed it, then
// ends; when the handover fails after the freeze (here: the remote disk is too small for the
// checkpoint), the origin goes on and the error says why.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { aloneOnPort9229, controlDir, driver, remoteDir, skipReason, SSH_CONFIG, TESTENV, testEnvUp } from './env';

const COUNTER = `
const ballast = ${'BALLAST'};
let n = 0;
const timer = setInterval(() => {
  n++;
  console.log('n=' + n);
  if (n === 200) { clearInterval(timer); process.exitCode = ballast === 0 ? 1 : 7; }
}, 50);
`;

function startCounter(ballastBytes: number): { child: ChildProcess; output: () => string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-migrate-origin-'));
  writeFileSync(
    path.join(dir, 'counter.js'),
    COUNTER.replace('BALLAST', ballastBytes ? `'x'.repeat(${ballastBytes}) + Math.random()` : 'null'),
  );
  let output = '';
  const child = spawn(process.execPath, ['counter.js'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
  child.stdout!.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

const lines = (text: string) => text.split('\n').filter((line) => line.startsWith('n='));

/**
 * Until the counter has printed more than `count` lines: an event, not a fixed wait (a loaded machine
 * can take longer than any sleep to start Node, whose SIGUSR1 handler must be in place before a
 * migration signals it, or to thaw a program). 30 s is the bound for a program that never goes on.
 */
async function printedMoreThan(origin: { output: () => string }, count: number): Promise<void> {
  for (let waited = 0; lines(origin.output()).length <= count; waited += 20) {
    assert.ok(waited < 30_000, `no line after the ${count} printed`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('migrate --on HOST', { skip: skipReason, timeout: 120_000 }, () => {
  const control = controlDir();
  before(testEnvUp);
  const smallDisk = `${TESTENV}/smalldisk/migrate-${process.pid}`;
  after(() => {
    control.close();
    rmSync(smallDisk, { recursive: true, force: true });
  });

  it('moves a running program: the host continues where the origin stopped', () =>
    aloneOnPort9229(async () => {
      const origin = startCounter(0);
      await printedMoreThan(origin, 0);
      const remote = remoteDir('migrate');
      const moved = await driver('migrate', {
        pid: origin.child.pid,
        host: 'loopback1',
        sshConfig: SSH_CONFIG,
        controlDir: control.dir,
        remoteDir: remote,
        cwd: `${remote}/work`, // loopback1 shares this machine's disk, where the program's directory is not its user's
        follow: true,
      });
      assert.match(moved.stderr, /moved to loopback1 as \S+ \(the original is ended; program frozen \d+ ms\)/);
      const frozen = Number(/frozen (\d+) ms/.exec(moved.stderr)![1]);
      console.log(`# migrate downtime (origin frozen -> remote resumed): ${frozen} ms`);
      const before = lines(origin.output());
      const after = lines(moved.stdout);
      assert.deepEqual(
        [...before, ...after],
        Array.from({ length: 200 }, (_, i) => `n=${i + 1}`),
        'every step exactly once, across the two hosts',
      );
      assert.equal(moved.code, 7);
      assert.notEqual(origin.child.exitCode ?? origin.child.signalCode, null, 'the origin is gone');
    }));

  it('leaves the origin running when the handover fails after the freeze', () =>
    aloneOnPort9229(async () => {
      // 1 MiB of remote disk: the runtime fits (sent before the freeze), this program's 2 MB heap does not.
      const origin = startCounter(2_000_000);
      await printedMoreThan(origin, 0);
      const failed = await driver('migrate', {
        pid: origin.child.pid,
        host: 'loopback1',
        sshConfig: SSH_CONFIG,
        controlDir: control.dir,
        remoteDir: smallDisk,
        cwd: `${smallDisk}/work`,
      });
      assert.equal(failed.code, 69, failed.stderr);
      assert.match(failed.stderr, /not enough free disk on loopback1.*; the program goes on here, where it was/);
      await printedMoreThan(origin, lines(origin.output()).length); // the origin keeps counting
      assert.equal(readFileSync(`/proc/${origin.child.pid}/stat`, 'utf8').split(' ')[2] !== 'T', true);
      origin.child.kill();
    }));
});
