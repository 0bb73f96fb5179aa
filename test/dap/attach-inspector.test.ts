// The debug adapter attached by processId closes the inspector it opened with SIGUSR1 when the
// session ends (issue 20: it stayed open to every local user).
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { test, type TestContext } from 'node:test';
import { listeningPorts } from '../../snapshot/target/node-process';
import { aloneOnPort9229 } from '../remote/env';
import { TestClient, fixture, spawnNode } from './helpers';

const SERVER = fixture('server.js');

/**
 * Starts the fixture server, attaches a client to it by processId and runs `session`, which ends
 * with the client's disconnect. Not startClient: its teardown disconnects again, which an adapter
 * that has ended never answers.
 */
async function attachedSession(
  t: TestContext,
  session: (client: TestClient, child: ChildProcess) => Promise<void>,
): Promise<ChildProcess> {
  const child = spawnNode(t, SERVER);
  await new Promise((resolve) => child.once('spawn', resolve));
  const client = new TestClient();
  await client.start();
  try {
    await client.attachWith({ processId: child.pid });
    await session(client, child);
  } catch (error) {
    await client.stop();
    throw error;
  }
  return child;
}

test('attach by processId, then disconnect: the program runs on, its inspector closed', (t) =>
  aloneOnPort9229(async () => {
    const child = await attachedSession(t, async (client, program) => {
      assert.ok(listeningPorts(program.pid!).includes(9229), 'open while attached');
      await client.disconnectRequest({}); // the adapter ends on its own after answering
    });
    const deadline = Date.now() + 5000;
    while (listeningPorts(child.pid!).includes(9229)) {
      assert.ok(Date.now() < deadline, 'the inspector closes after the session ends');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(child.exitCode, null, 'detached: the program runs on');
  }));

test('attach by processId, then restart: attached again (the lock was let go first)', (t) =>
  aloneOnPort9229(async () => {
    await attachedSession(t, async (client, child) => {
      await client.restartRequest({});
      assert.equal((await client.customRequest('ferry/targetInfo')).body.pid, child.pid);
      await client.disconnectRequest({});
    });
  }));
