// The container transport's command lines, exactly as they are run, and its refusals. The docker://
// and podman:// forms are not run against a real engine here (none runs on this machine or in CI):
// their command lines are checked, and a missing engine must say so. test/remote/container.test.ts
// runs the exec: form against a container made of namespaces.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RemoteError } from './errors';
import { ExecHost, execCommandLine, parseExecHost } from './exec-host';

const commandLine = (spec: string, command: string) => execCommandLine(parseExecHost(spec)!.prefix, command);

describe('container hosts reached by exec', () => {
  it('docker:// runs `docker exec -i NAME sh -c CMD`', () => {
    assert.deepEqual(commandLine('docker://app', 'echo hi'), ['docker', 'exec', '-i', 'app', 'sh', '-c', 'echo hi']);
    assert.deepEqual(commandLine('docker://node@my_app.1', 'cd ~ && ls'), [
      'docker',
      'exec',
      '-i',
      '-u',
      'node',
      'my_app.1',
      'sh',
      '-c',
      'cd ~ && ls',
    ]);
  });

  it('podman:// runs `podman exec -i NAME sh -c CMD`', () => {
    assert.deepEqual(commandLine('podman://web/', 'true'), ['podman', 'exec', '-i', 'web', 'sh', '-c', 'true']);
  });

  it('exec: runs the words the user gave, then sh -c CMD', () => {
    assert.deepEqual(commandLine('exec:kubectl exec -i pod-7 -c app --', 'true'), [
      'kubectl',
      'exec',
      '-i',
      'pod-7',
      '-c',
      'app',
      '--',
      'sh',
      '-c',
      'true',
    ]);
    assert.equal(parseExecHost('exec:nsenter --target 42 --mount --')!.label, 'exec:nsenter --target 42 --mount --');
  });

  it('an SSH host is not a container', () => {
    for (const spec of ['remote2', 'me@host:2222', 'ssh://host', '[::1]:22'])
      assert.equal(parseExecHost(spec), undefined);
  });

  it('refuses malformed containers by what was given', () => {
    for (const spec of ['docker://', 'docker://-it', 'podman://@x', 'docker://a b', 'exec:', "exec:sh -c 'x'"])
      assert.throws(() => parseExecHost(spec), /not a container|not an exec prefix/, spec);
  });

  it('runs a command through a real prefix and keeps Ferry’s own variables out of it', async () => {
    const saved = process.env.FERRY_KEY;
    process.env.FERRY_KEY = 'k'.repeat(32);
    try {
      const host = await ExecHost.connect(parseExecHost('exec:env')!);
      const result = await host.exec('echo "[$FERRY_KEY]"; cat', Buffer.from('in'));
      assert.deepEqual([result.code, result.stdout.toString()], [0, '[]\nin']);
      assert.equal(host.commandLine('true').env.FERRY_KEY, undefined);
    } finally {
      if (saved === undefined) delete process.env.FERRY_KEY;
      else process.env.FERRY_KEY = saved;
    }
  });

  it('says when the prefix does not reach a container', async () => {
    await assert.rejects(ExecHost.connect(parseExecHost('exec:false')!), (error: RemoteError) => {
      assert.equal(error.reason, 'unreachable');
      assert.match(error.message, /cannot run a command in exec:false with `false`: exit 1/);
      return true;
    });
    await assert.rejects(ExecHost.connect(parseExecHost('exec:/nonexistent/tool')!), /unreachable|ENOENT/);
    // The docker CLI is here, no engine is: it must say why, not hang.
    await assert.rejects(ExecHost.connect(parseExecHost('docker://ferry-no-such-container')!), (error: RemoteError) => {
      assert.equal(error.reason, 'unreachable');
      assert.match(error.message, /^cannot run a command in docker:\/\/ferry-no-such-container with `docker exec -i/);
      return true;
    });
  });
});
