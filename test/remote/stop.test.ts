// `ferry stop` ends the program on the host, or says that it could not: never a stop that looks
// done while the program goes on. A run whose supervisor has not recorded its program yet, and a
// host cut off while the stop is asked.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { runSupervisorScript } from '../../snapshot/assets';
import {
  aloneOnRemote1,
  controlDir,
  driver,
  fakeCheckpoint,
  FAKE_RUNTIME,
  remoteDir,
  REMOTE1_NAMESPACE as NS,
  sh,
  skipReason,
  SSH_CONFIG,
  testEnvUp,
} from './env';

const ssh = (host: string, command: string, input?: Buffer) =>
  execFileSync('ssh', ['-F', SSH_CONFIG, host, command], { encoding: 'utf8', input });

describe('ferry stop', { skip: skipReason, timeout: 120_000 }, () => {
  const control = controlDir();
  const on = (host: string) => ({
    host,
    sshConfig: SSH_CONFIG,
    controlDir: control.dir,
    remoteDir: remoteDir(host),
    runtime: FAKE_RUNTIME,
  });
  before(testEnvUp);
  after(() => control.close());

  it('a run whose supervisor has not recorded its program yet: nothing starts behind the stop', async () => {
    const options = on('loopback1');
    const id = '20261206-000000-gate';
    const dir = `${options.remoteDir}/runs/${id}`;
    // The real supervisor, held at a gate after it wrote its own pid and before it starts the
    // program (as a loaded host would hold it): exec keeps the pid it wrote.
    ssh(
      'loopback1',
      `mkdir -p ${dir} && cd ${dir} && cat > launcher.sh && echo '{}' > meta.json && mkfifo stdin gate && ` +
        `{ setsid nohup sh -c 'echo $$ > launcher.pid; read go < gate; exec sh launcher.sh node -e "setInterval(() => {}, 1e3)"' </dev/null >launcher.log 2>&1 & } && ` +
        `while [ ! -s launcher.pid ]; do sleep 0.05; done`,
      runSupervisorScript(),
    );
    const stopped = await driver('stop', { ...options, runId: id });
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stderr, new RegExp(`ferry: ${id} was not running`));
    // The gate opens only if someone still reads it: the supervisor, about to start the program.
    const opened = ssh('loopback1', `cd ${dir} && timeout 2 sh -c 'echo go > gate' && echo opened || echo closed`);
    assert.equal(opened.trim(), 'closed', 'the supervisor outlived the stop: its program would start');
    assert.equal(ssh('loopback1', `cat ${dir}/pid 2>/dev/null; true`).trim(), '', 'no program started');
  });

  it('a host cut off says it could not stop the run; once back, the stop ends it', () =>
    aloneOnRemote1(async () => {
      const options = on('remote1');
      const started = await driver('restore', {
        ...options,
        detach: true,
        checkpoint: fakeCheckpoint({ ticks: 6000, tickMs: 50 }),
      });
      const id = /running on remote1 as (\S+)/.exec(started.stderr)?.[1];
      assert.ok(id, started.stderr);
      const [run] = JSON.parse((await driver('ps', { ...options, json: true })).stdout) as Array<{ pid: number }>;
      sh(`ip -n ${NS} link set vr-${NS} down`);
      try {
        const refused = await driver('stop', { ...options, runId: id, remove: true });
        assert.equal(refused.code, 255, refused.stderr);
        assert.match(
          refused.stderr,
          new RegExp(`^ferry: could not stop run ${id} on remote1: .*It may still be running there`, 'm'),
        );
        assert.ok(existsSync(`/proc/${run.pid}`), 'the program goes on there (its host shares our pids)');
      } finally {
        sh(`ip -n ${NS} link set vr-${NS} up`);
      }
      const stopped = await driver('stop', { ...options, runId: id, remove: true });
      assert.equal(stopped.code, 0, stopped.stderr);
      assert.match(stopped.stderr, new RegExp(`ferry: stopped ${id}; its directory is removed`));
      assert.ok(!existsSync(`/proc/${run.pid}`), 'the program is gone');
    }));
});
