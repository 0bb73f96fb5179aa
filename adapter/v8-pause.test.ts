import assert from 'node:assert/strict';
import { test } from 'node:test';
import { V8Pause } from './v8-pause';

const settled = (promise: Promise<void>) =>
  Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setImmediate(() => resolve(false)))]);

test('untilRunning resolves at once while V8 runs', async () => {
  assert.equal(await settled(new V8Pause().untilRunning()), true);
});

test('untilRunning waits out a pause until V8 reports it resumed', async () => {
  const pause = new V8Pause();
  pause.stopped();
  const waited = pause.untilRunning();
  assert.equal(await settled(waited), false);
  pause.running();
  assert.equal(await settled(waited), true);
  assert.equal(await settled(pause.untilRunning()), true);
});
