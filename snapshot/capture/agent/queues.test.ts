// When a Checkpoint Here may skip reading V8's microtask queue (and the heap snapshot it takes),
// asked of this process's own Node: its queueMicrotask, and AsyncResources made as it makes them.
// And what of the queue read is the program's: the tasks ahead of the capture's probe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AsyncResource } from 'node:async_hooks';
import { aheadOfProbe, microtaskProbe, microtasksMayBeQueued, queueMicrotaskMayWait, type Microtask } from './queues';

const nodeOwn = (): boolean => false;
/** Node 24's queueMicrotask queues the callback itself when no async context is in use. */
const queuesCallbacksItself = Number(process.versions.node.split('.')[0]) >= 24;

test("Node's queueMicrotask: a callback may wait only while an AsyncResource holds one", () => {
  const idle = new AsyncResource('Microtask');
  const holding = Object.assign(new AsyncResource('Microtask'), { callback: () => undefined });
  assert.equal(
    queueMicrotaskMayWait(queueMicrotask, nodeOwn, () => [idle]),
    queuesCallbacksItself,
    'no resource holds a callback',
  );
  assert.equal(
    queueMicrotaskMayWait(queueMicrotask, nodeOwn, () => [idle, holding]),
    true,
  );
  assert.equal(
    queueMicrotaskMayWait(queueMicrotask, nodeOwn, () => undefined),
    true,
    'resources unknown',
  );
});

test("a queueMicrotask of the program's own leaves the queue unknown", () => {
  const own = (callback: () => void) => queueMicrotask(callback);
  assert.equal(
    queueMicrotaskMayWait(
      own,
      (fn) => fn === own,
      () => [],
    ),
    true,
  );
});

test('only a stack the event loop ran for a timer, an immediate or a tick may skip the queue', () => {
  const nothing = { anyPendingPromise: () => false, queuedCallbackMayWait: () => false };
  for (const task of ['timer', 'immediate', 'tick'] as const)
    assert.equal(microtasksMayBeQueued({ ...nothing, calledBy: ['listeners', task] }), false, task);
  for (const calledBy of [['microtask'], ['tail'], ['tail-value'], undefined] as const)
    assert.equal(microtasksMayBeQueued({ ...nothing, calledBy: calledBy && [...calledBy] }), true, String(calledBy));
  assert.equal(microtasksMayBeQueued({ ...nothing, calledBy: ['timer'], anyPendingPromise: () => true }), true);
  assert.equal(microtasksMayBeQueued({ ...nothing, calledBy: ['timer'], queuedCallbackMayWait: () => true }), true);
});

test("the program's queued tasks are those ahead of the last probe; a queue read without one is unread", () => {
  const probe: Microtask = { kind: 'callback', callback: microtaskProbe };
  const program: Microtask = { kind: 'callback', callback: () => undefined };
  const agents: Microtask = { kind: 'other', name: 'queued by the capture after its probe' };
  assert.equal(aheadOfProbe([]), undefined, 'an empty queue read shows no probe: the queue was not where it was read');
  assert.equal(aheadOfProbe([program]), undefined);
  assert.deepEqual(aheadOfProbe([probe]), []);
  assert.deepEqual(aheadOfProbe([program, probe, agents]), [program]);
  assert.deepEqual(aheadOfProbe([probe, program, probe]), [program], "an earlier capture's probe is left out");
});
