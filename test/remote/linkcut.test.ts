// The network to the host is cut (on the namespace side) under a running restore: the run goes on
// there, nothing is lost, and Ferry says how to reattach.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { restoreRemote } from '../../snapshot/remote/restore';
import { controlDir, driver, fakeCheckpoint, FAKE_RUNTIME, remoteDir, sh, skipReason, SSH_CONFIG, testEnvUp } from './env';

const NS = 'ferryr1';
const cut = () => sh(`ip -n ${NS} link set vr-${NS} down`);
const heal = () => sh(`ip -n ${NS} link set vr-${NS} up`);
const expectedTicks = (count: number) => Array.from({ length: count }, (_, i) => `tick ${i + 1}\n`).join('');

describe('link cut under a remote run', { skip: skipReason, timeout: 90_000 }, () => {
  const control = controlDir();
  const on = () => ({ host: 'remote1', sshConfig: SSH_CONFIG, controlDir: control.dir, remoteDir: remoteDir('remote1'), runtime: FAKE_RUNTIME });
  before(testEnvUp);
  after(() => {
    heal();
    control.close();
  });

  it('a detached run survives the link going down', async () => {
    const options = on();
    const started = await driver('restore', { ...options, detach: true, checkpoint: fakeCheckpoint({ ticks: 40, tickMs: 100, exit: 4 }) });
    const id = /running on remote1 as (\S+)/.exec(started.stderr)?.[1];
    assert.ok(id, started.stderr);
    cut();
    await new Promise((resolve) => setTimeout(resolve, 5000));
    heal();
    const logs = await driver('logs', { ...options, runId: id });
    assert.equal(logs.stdout, expectedTicks(40));
    assert.equal(logs.code, 4);
  });

  it('a foreground run cut off says how to reattach, and goes on', async () => {
    const options = on();
    let seen = '';
    let notice = '';
    const result = await restoreRemote({ ...options, checkpoint: fakeCheckpoint({ ticks: 100, tickMs: 100, exit: 6 }) }, {
      stdout: (chunk) => {
        if (!seen.includes('tick 3\n') && (seen += chunk).includes('tick 3\n')) cut();
      },
      stderr: () => {},
      notice: (text) => void (notice += text),
    });
    heal();
    assert.equal(result.end.kind, 'error');
    assert.match(notice, /lost the connection to remote1.*The run goes on there: follow it with `ferry logs --on remote1 \S+`/);
    const logs = await driver('logs', { ...options, runId: result.run.id });
    assert.equal(logs.stdout, expectedTicks(100), 'every line, none lost');
    assert.equal(logs.code, 6);
  });
});
