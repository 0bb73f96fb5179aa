// The network to the host is cut (on the namespace side) under a running restore: the run goes on
// there, nothing is lost, and Ferry says how to reattach. Cut during a migration's transfer: the
// origin goes on where it was, and the host keeps no half-sent run.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { restoreRemote } from '../../snapshot/remote/restore';
import {
  aloneOnPort9229,
  aloneOnRemote1,
  controlDir,
  driver,
  fakeCheckpoint,
  FAKE_RUNTIME,
  remoteDir,
  REMOTE1_NAMESPACE as NS,
  sh,
  shOnHost,
  skipReason,
  SSH_CONFIG,
  testEnvUp,
} from './env';

const cut = () => sh(`ip -n ${NS} link set vr-${NS} down`);
const heal = () => sh(`ip -n ${NS} link set vr-${NS} up`);
// A slow link towards the namespace (on our end of the pair), so a transfer lasts long enough to be cut.
const throttle = () => sh(`tc qdisc replace dev vh-${NS} root tbf rate 2mbit burst 32kb latency 5s`);
const unthrottle = () => sh(`tc qdisc del dev vh-${NS} root 2>/dev/null; true`);
const expectedTicks = (count: number) => Array.from({ length: count }, (_, i) => `tick ${i + 1}\n`).join('');

describe('link cut under a remote run', { skip: skipReason, timeout: 150_000 }, () => {
  const control = controlDir();
  const on = () => ({
    host: 'remote1',
    sshConfig: SSH_CONFIG,
    controlDir: control.dir,
    remoteDir: remoteDir('remote1'),
    runtime: FAKE_RUNTIME,
  });
  before(testEnvUp);
  after(() => {
    unthrottle();
    heal();
    control.close();
  });

  it('a detached run survives the link going down', () =>
    aloneOnRemote1(async () => {
      const options = on();
      const started = await driver('restore', {
        ...options,
        detach: true,
        checkpoint: fakeCheckpoint({ ticks: 40, tickMs: 100, exit: 4 }),
      });
      const id = /running on remote1 as (\S+)/.exec(started.stderr)?.[1];
      assert.ok(id, started.stderr);
      cut();
      await new Promise((resolve) => setTimeout(resolve, 5000));
      heal();
      const logs = await driver('logs', { ...options, runId: id });
      assert.equal(logs.stdout, expectedTicks(40));
      assert.equal(logs.code, 4);
    }));

  it('a foreground run cut off says how to reattach, and goes on', () =>
    aloneOnRemote1(async () => {
      const options = on();
      let seen = '';
      let notice = '';
      const result = await restoreRemote(
        { ...options, checkpoint: fakeCheckpoint({ ticks: 100, tickMs: 100, exit: 6 }) },
        {
          stdout: (chunk) => {
            if (!seen.includes('tick 3\n') && (seen += chunk).includes('tick 3\n')) cut();
          },
          stderr: () => {},
          notice: (text) => void (notice += text),
        },
      );
      heal();
      assert.equal(result.end.kind, 'error');
      assert.match(notice, /lost the connection to remote1.*The run goes on there/);
      // The command to run, with the options that reach this host (its ssh config).
      const reattach = `ferry logs --on remote1 --ssh-config ${SSH_CONFIG} ${result.run.id}`;
      assert.ok(notice.includes(`follow it with \`${reattach}\``), notice);
      const logs = await driver('logs', { ...options, runId: result.run.id });
      assert.equal(logs.stdout, expectedTicks(100), 'every line, none lost');
      assert.equal(logs.code, 6);
    }));

  it('a migration cut off while its checkpoint is on the way: the origin goes on, the host keeps nothing', () =>
    aloneOnRemote1(() =>
      aloneOnPort9229(async () => {
        const options = on();
        const dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-linkcut-origin-'));
        // 3 MB of heap: at 2 Mbit/s the checkpoint takes ~12 s to send.
        writeFileSync(
          path.join(dir, 'job.js'),
          "const ballast = 'x'.repeat(3e6) + Math.random(); let n = 0; setInterval(() => console.log('n=' + ++n + ' ' + ballast.length), 50);",
        );
        const origin = spawn(process.execPath, ['job.js'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
        let output = '';
        origin.stdout!.on('data', (chunk) => (output += chunk));
        const until = async (what: string, condition: () => boolean) => {
          for (let i = 0; i < 1200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
          assert.ok(condition(), what);
        };
        try {
          // Signalled only once it runs: Node's SIGUSR1 handler is in place by then (a fixed wait may not be, under load).
          await until('the program runs', () => output.startsWith('n=1 '));
          const moving = driver('migrate', {
            pid: origin.pid,
            host: options.host,
            sshConfig: SSH_CONFIG,
            controlDir: options.controlDir,
            remoteDir: options.remoteDir,
          });
          // The runtime goes ahead before the freeze; then the program is frozen and its checkpoint sent,
          // unpacked in blobs/.in-PID until complete: slow the link once the runtime is there, cut once that exists.
          // (remote1's disk is its own: looked at from inside.)
          const onHost = (test: string) => () => shOnHost(NS, `${test} && echo yes || true`).trim() === 'yes';
          await until('the runtime is sent ahead', onHost(`[ -e ${options.remoteDir}/lib/launcher.sh ]`));
          throttle();
          await until('the checkpoint is on its way', onHost(`ls -a ${options.remoteDir}/blobs | grep -q '^\\.in-'`));
          await new Promise((resolve) => setTimeout(resolve, 300));
          cut();
          const moved = await moving;
          assert.equal(moved.code, 255, moved.stderr);
          assert.match(moved.stderr, /ferry: lost the connection to remote1.*; the program goes on here, where it was/);
          const count = output.split('\n').length;
          await until('the origin goes on', () => output.split('\n').length > count);
          const lines = output
            .split('\n')
            .filter(Boolean)
            .map((line) => Number(/^n=(\d+) /.exec(line)![1]));
          assert.deepEqual(
            lines,
            lines.map((_, i) => i + 1),
            'no step lost or repeated at the origin',
          );
          heal();
          assert.equal(shOnHost(NS, `ls -A ${options.remoteDir}/runs`), '', 'no half-sent run on the host');
          // A blob appears under its name only when complete: every one there is what its name says.
          for (const line of shOnHost(
            NS,
            `cd ${options.remoteDir}/blobs && for f in [0-9a-f]*; do [ -f "$f" ] && echo "$f $(sha256sum < "$f" | cut -c1-64)"; done; true`,
          )
            .split('\n')
            .filter(Boolean)) {
            const [name, hash] = line.split(' ');
            assert.equal(hash, name);
          }
        } finally {
          origin.kill();
          unthrottle();
          heal();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
    ));
});
