// Execution control: step in, over, out; restart a frame; pause a running program; continue.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture, lineOf, startClient } from './helpers';

const STEPS = fixture('steps.js');

test('stepping lands on the right lines, and restartFrame re-enters the frame', async (t) => {
  const client = await startClient(t);
  await client.launchWith({ program: STEPS }, { [STEPS]: [{ line: lineOf(STEPS, 'call') }] });
  const where = async () => {
    const { event, top } = await client.stopped();
    return `${event.body.reason} ${top.name}:${top.line}`;
  };
  assert.equal(await where(), `breakpoint main:${lineOf(STEPS, 'call')}`);
  await client.stepInRequest({ threadId: 1 });
  assert.equal(await where(), `step square:${lineOf(STEPS, 'square')}`);
  await client.nextRequest({ threadId: 1 });
  assert.equal(await where(), `step square:${lineOf(STEPS, 'squareReturn')}`);
  // Stepping out completes the assignment of the call's value: V8 stops at the next statement.
  await client.stepOutRequest({ threadId: 1 });
  const afterNext = await client.stopped();
  assert.equal(`${afterNext.top.name}:${afterNext.top.line}`, `main:${lineOf(STEPS, 'next')}`);
  assert.equal((await client.locals(afterNext.top.id)).get('a')?.value, '9');
  await client.restartFrameRequest({ frameId: afterNext.top.id });
  const restarted = await client.stopped();
  assert.equal(restarted.event.body.reason, 'restart');
  assert.equal(`${restarted.top.name}:${restarted.top.line}`, `main:${lineOf(STEPS, 'call')}`);
  assert.equal((await client.locals(restarted.top.id)).get('a')?.value, 'undefined');
  const terminated = client.waitForEvent('terminated');
  await client.setBreakpointsRequest({ source: { path: STEPS }, breakpoints: [] });
  await client.continueRequest({ threadId: 1 });
  await terminated;
});

test('pause stops a running program, continue lets it run on', async (t) => {
  const client = await startClient(t);
  const program = fixture('server.js');
  await client.launchWith({ program });
  await client.pauseRequest({ threadId: 1 });
  const { event } = await client.stopped();
  assert.equal(event.body.reason, 'pause');
  await client.continueRequest({ threadId: 1 });
  await client.pauseRequest({ threadId: 1 });
  assert.equal((await client.stopped()).event.body.reason, 'pause');
});
