// The SSH transport against real sshd hosts: probe, refusals with clear messages, content-addressed sync, full disk.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { RemoteError } from '../../snapshot/remote/errors';
import { restoreRemote, type RunIo } from '../../snapshot/remote/restore';
import { RemoteSession } from '../../snapshot/remote/session';
import { SshHost } from '../../snapshot/remote/ssh';
import { controlDir, fakeCheckpoint, FAKE_RUNTIME, remoteDir, skipReason, SSH_CONFIG, TESTENV, testEnvUp } from './env';

const quietIo = (): RunIo & { out: string } => {
  const io = { out: '', stdout: (chunk: Buffer) => void (io.out += chunk), stderr: () => {}, notice: () => {} };
  return io;
};

describe('SSH transport', { skip: skipReason, timeout: 120_000 }, () => {
  const control = controlDir();
  const host = (name: string, dir = remoteDir(name)) => ({
    host: name,
    sshConfig: SSH_CONFIG,
    controlDir: control.dir,
    remoteDir: dir,
  });
  before(testEnvUp);
  after(() => control.close());

  it('probes a host: Node, platform, arch, writable directory, free disk', async () => {
    const session = await RemoteSession.open(host('loopback1'), []);
    assert.match(session.node, /\/node$/);
    assert.equal(session.probe.platform, process.platform);
    assert.equal(session.probe.arch, process.arch);
    assert.ok(session.root.startsWith(`${TESTENV}/home/`), session.root);
    assert.ok(session.probe.freeBytes > 1e6);
  });

  it('reuses the master connection: the second connect is warm', async () => {
    const fresh = controlDir();
    try {
      const options = { ...host('loopback1'), controlDir: fresh.dir };
      let started = Date.now();
      const cold = await SshHost.connect(options);
      const coldMs = Date.now() - started;
      started = Date.now();
      const warm = await SshHost.connect(options);
      const warmMs = Date.now() - started;
      assert.equal(cold.warm, false);
      assert.equal(warm.warm, true);
      started = Date.now();
      await warm.exec('true');
      console.log(
        `# connect: cold ${coldMs} ms, warm ${warmMs} ms; one command over the master ${Date.now() - started} ms`,
      );
    } finally {
      fresh.close();
    }
  });

  it('commands starting at once share one master, and leave no other connection behind', async () => {
    const fresh = controlDir();
    try {
      const hosts = await Promise.all(
        Array.from({ length: 4 }, () => SshHost.connect({ ...host('loopback1'), controlDir: fresh.dir })),
      );
      assert.equal(hosts.filter((one) => !one.warm).length, 1, 'one started the master, the others rode on it');
      const connections = () =>
        execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
          .split('\n')
          .filter((line) => line.startsWith('ssh ') && line.includes(fresh.dir));
      assert.equal(connections().length, 1, connections().join('\n'));
      await hosts[0].close();
      assert.deepEqual(connections(), []);
    } finally {
      fresh.close();
    }
  });

  it('replaces the socket of a master that died without removing it', async () => {
    const fresh = controlDir();
    try {
      const options = { ...host('loopback1'), controlDir: fresh.dir };
      await SshHost.connect(options);
      const master = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
        .split('\n')
        .find((line) => line.includes('ControlMaster=yes') && line.includes(fresh.dir));
      process.kill(Number(master!.trim().split(/\s+/)[0]), 'SIGKILL'); // no chance to remove its socket
      assert.equal(
        readdirSync(fresh.dir).filter((name) => !name.endsWith('.starting')).length,
        1,
        "the dead master's socket is left",
      );
      const again = await SshHost.connect(options);
      assert.equal(again.warm, false);
      assert.equal((await again.exec('echo ok')).stdout.toString(), 'ok\n');
      assert.equal(
        (await SshHost.connect(options)).warm,
        true,
        'the new master multiplexes (ssh would not have replaced the old socket)',
      );
    } finally {
      fresh.close();
    }
  });

  it('refuses a host whose key changed, and says so', async () => {
    await assert.rejects(SshHost.connect(host('wrongkey1')), (error: RemoteError) => {
      assert.equal(error.reason, 'host-key-changed');
      assert.match(error.message, /host key of wrongkey1 does not match the one recorded in .*known_hosts:\d+/);
      return true;
    });
  });

  it('says when a host is unreachable', async () => {
    await assert.rejects(
      SshHost.connect({ ...host('loopback1'), host: 'nobody@127.0.0.1:1' }),
      (error: RemoteError) => error.reason === 'unreachable' && /unreachable.*refused/.test(error.message),
    );
  });

  it("says when Node is missing, and ships this machine's Node when asked", async () => {
    const options = host('nonode1');
    await assert.rejects(RemoteSession.open(options, []), (error: RemoteError) => {
      assert.equal(error.reason, 'node-missing');
      assert.match(error.message, /Node\.js is not installed on nonode1.*--ship-node/);
      return true;
    });
    const io = quietIo();
    const checkpoint = fakeCheckpoint({ stdout: ['on shipped node'] });
    const shipped = await restoreRemote({ ...options, shipNode: true, checkpoint, runtime: FAKE_RUNTIME }, io);
    assert.deepEqual(shipped.end, { kind: 'exited', code: 0 });
    assert.equal(io.out, 'on shipped node\n');
    const again = await restoreRemote({ ...options, shipNode: true, checkpoint, runtime: FAKE_RUNTIME }, quietIo());
    assert.equal(again.run.sentBlobs, 0, 'the shipped Node and every file are already there');
  });

  it('sends only what changed the second time', async () => {
    const options = { ...host('loopback1'), runtime: FAKE_RUNTIME };
    const checkpoint = fakeCheckpoint({ stdout: ['one'] }, 200_000);
    const first = await restoreRemote({ ...options, checkpoint }, quietIo());
    assert.equal(first.run.sentBlobs, 4); // runtime, checkpoint, launcher, helper
    const second = await restoreRemote({ ...options, checkpoint }, quietIo());
    assert.equal(second.run.sentBlobs, 0);
    const changed = await restoreRemote(
      { ...options, checkpoint: fakeCheckpoint({ stdout: ['two'] }, 200_000) },
      quietIo(),
    );
    assert.equal(changed.run.sentBlobs, 1);
    console.log(
      `# sync: first ${first.timings.sendMs} ms (${first.run.sentBytes} B), unchanged ${second.timings.sendMs} ms, one changed ${changed.timings.sendMs} ms`,
    );
  });

  it('refuses a transfer that does not fit on the remote disk, and leaves nothing behind', async () => {
    const dir = `${TESTENV}/smalldisk/transport-${process.pid}`;
    await assert.rejects(
      restoreRemote(
        { ...host('loopback1', dir), checkpoint: fakeCheckpoint({}, 3_000_000), runtime: FAKE_RUNTIME },
        quietIo(),
      ),
      (error: RemoteError) => {
        assert.equal(error.reason, 'disk-full');
        assert.match(error.message, /not enough free disk on loopback1/);
        return true;
      },
    );
    assert.deepEqual(readdirSync(`${dir}/runs`), []);
    assert.deepEqual(
      readdirSync(`${dir}/blobs`).filter((name) => name.startsWith('.in-')),
      [],
    );
    assert.ok(existsSync(dir));
    rmSync(dir, { recursive: true, force: true });
  });
});
