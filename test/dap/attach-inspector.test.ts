// The debug adapter attached by processId closes the inspector it opened with SIGUSR1 when the
// session ends (issue 20: it stayed open to every local user).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listeningPorts } from '../../snapshot/target/node-process';
import { aloneOnPort9229 } from '../remote/env';
import { TestClient, fixture, spawnNode } from './helpers';

const SERVER = fixture('server.js');

test('attach by processId, then disconnect: the program runs on, its inspector closed', (t) => aloneOnPort9229(async () => {
  const child = spawnNode(t, SERVER);
  await new Promise((resolve) => child.once('spawn', resolve));
  // Not startClient: its teardown disconnects again, which an adapter that has ended never answers.
  const client = new TestClient();
  await client.start();
  try {
    await client.attachWith({ processId: child.pid });
    assert.ok(listeningPorts(child.pid!).includes(9229), 'open while attached');
    await client.disconnectRequest({}); // the adapter ends on its own after answering
  } catch (error) {
    await client.stop();
    throw error;
  }
  const deadline = Date.now() + 5000;
  while (listeningPorts(child.pid!).includes(9229)) {
    assert.ok(Date.now() < deadline, 'the inspector closes after the session ends');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.equal(child.exitCode, null, 'detached: the program runs on');
}));

test('attach by processId, then restart: attached again (the lock was let go first)', (t) => aloneOnPort9229(async () => {
  const child = spawnNode(t, SERVER);
  await new Promise((resolve) => child.once('spawn', resolve));
  const client = new TestClient();
  await client.start();
  try {
    await client.attachWith({ processId: child.pid });
    await client.restartRequest({});
    assert.equal((await client.customRequest('ferry/targetInfo')).body.pid, child.pid);
    await client.disconnectRequest({});
  } catch (error) {
    await client.stop();
    throw error;
  }
}));
