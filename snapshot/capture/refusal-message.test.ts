// The refusal message: what the program holds comes first, not buried under functions of the runtime.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CaptureRefusedError } from './index';

test('a worker thread is named before dozens of functions of the runtime', () => {
  const noise = Array.from({ length: 30 }, (_, i) => ({
    path: `module /app/lib${i}.js › exports › f${i}`,
    reason: `function f${i}, a function of the Node runtime that Ferry cannot re-create`,
  }));
  const worker = { path: 'global pool › workers › 0', reason: 'a worker thread: worker threads cannot be carried' };
  const lines = new CaptureRefusedError([...noise, worker]).message.split('\n');
  assert.equal(lines[0], 'cannot checkpoint this program:');
  assert.equal(lines[1], '  - global pool › workers › 0: a worker thread: worker threads cannot be carried');
  assert.equal(lines.length, 32);
});
