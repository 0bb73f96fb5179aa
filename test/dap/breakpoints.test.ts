// Source breakpoints: plain, column, conditional, hit count, logpoints, late-loaded and reloaded
// scripts; exception breakpoints.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { fixture, lineOf, startClient } from './helpers';

const LOOP = fixture('loop.js');
const LIB = fixture('lib.js');

test('a line breakpoint stops there with the right variables, and the program exits with its code', async (t) => {
  const client = await startClient(t);
  const line = lineOf(LOOP, 'add');
  const exited = client.waitForEvent('exited');
  const terminated = client.waitForEvent('terminated');
  await client.launchWith({ program: LOOP }, { [LOOP]: [{ line }] });
  const { event, top } = await client.stopped();
  assert.equal(event.body.reason, 'breakpoint');
  assert.equal(top.source?.path, LOOP);
  assert.equal(top.line, line);
  assert.equal(top.name, 'add');
  const locals = await client.locals(top.id);
  assert.equal(locals.get('total')?.value, '0');
  assert.equal(locals.get('i')?.value, '0');
  await client.setBreakpointsRequest({ source: { path: LOOP }, breakpoints: [] });
  await client.continueRequest({ threadId: 1 });
  assert.equal(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 3);
  await terminated;
});

test('breakpoints are verified at their final location, and a column breakpoint binds to that column', async (t) => {
  const client = await startClient(t);
  const updates = client.breakpointUpdates();
  const addLine = lineOf(LOOP, 'add');
  const loopLine = lineOf(LOOP, 'loop');
  const callColumn = readFileSync(LOOP, 'utf8').split('\n')[loopLine - 1].indexOf('add(') + 1;
  await client.initializeRequest();
  const launched = client.launchRequest({ program: LOOP } as DebugProtocol.LaunchRequestArguments);
  await client.waitForEvent('initialized');
  // The line above `function add` is blank: V8 moves that breakpoint to the next statement, inside add().
  const { body } = await client.setBreakpointsRequest({
    source: { path: LOOP },
    breakpoints: [{ line: addLine - 2 }, { line: loopLine, column: callColumn }],
  });
  // The program is not loaded yet: unverified until V8 binds them.
  assert.deepEqual(
    body.breakpoints.map((b) => b.verified),
    [false, false],
  );
  await client.configurationDoneRequest();
  await launched;
  const first = await client.stopped();
  assert.deepEqual([first.top.line, first.top.column], [loopLine, callColumn]);
  assert.deepEqual(first.event.body.hitBreakpointIds, [body.breakpoints[1].id]);
  const moved = updates.get(body.breakpoints[0].id!);
  assert.deepEqual([moved?.verified, moved?.line, moved?.source?.path], [true, addLine, LOOP]);
  const column = updates.get(body.breakpoints[1].id!);
  assert.deepEqual([column?.verified, column?.line, column?.column], [true, loopLine, callColumn]);
  // Set again once the script is loaded: verified at once, at the final location.
  const again = await client.setBreakpointsRequest({ source: { path: LOOP }, breakpoints: [{ line: addLine - 2 }] });
  assert.deepEqual([again.body.breakpoints[0].verified, again.body.breakpoints[0].line], [true, addLine]);
});

test('a conditional breakpoint stops only when its condition holds', async (t) => {
  const client = await startClient(t);
  await client.launchWith({ program: LOOP }, { [LOOP]: [{ line: lineOf(LOOP, 'add'), condition: 'i === 3' }] });
  const { top } = await client.stopped();
  assert.equal((await client.locals(top.id)).get('i')?.value, '3');
});

test('hit conditions count hits: ==N, >=N and %N', async (t) => {
  for (const [hitCondition, expected] of [
    ['2', ['1']],
    ['>=4', ['3', '4']],
    ['%2', ['1', '3']],
  ] as const) {
    await t.test(hitCondition, async (tt) => {
      const client = await startClient(tt);
      const terminated = client.waitForEvent('terminated');
      await client.launchWith({ program: LOOP }, { [LOOP]: [{ line: lineOf(LOOP, 'add'), hitCondition }] });
      const seen: string[] = [];
      for (let n = 0; n < expected.length; n++) {
        const { top } = await client.stopped();
        seen.push((await client.locals(top.id)).get('i')!.value);
        await client.continueRequest({ threadId: 1 });
      }
      await terminated;
      assert.deepEqual(seen, expected);
    });
  }
});

test('an invalid hit condition leaves the breakpoint unverified with a message', async (t) => {
  const client = await startClient(t);
  await client.initializeRequest();
  const launched = client.launchRequest({ program: LOOP } as DebugProtocol.LaunchRequestArguments);
  await client.waitForEvent('initialized');
  const { body } = await client.setBreakpointsRequest({
    source: { path: LOOP },
    breakpoints: [{ line: lineOf(LOOP, 'add'), hitCondition: 'often' }],
  });
  assert.equal(body.breakpoints[0].verified, false);
  assert.match(body.breakpoints[0].message ?? '', /invalid hit condition/);
  await launched;
});

test('logpoints print their interpolated message with its location and do not stop', async (t) => {
  const client = await startClient(t);
  const output = client.collectOutput();
  const terminated = client.waitForEvent('terminated');
  const line = lineOf(LOOP, 'add');
  await client.launchWith(
    { program: LOOP },
    { [LOOP]: [{ line, logMessage: 'i={i} total={total} list={[i]} missing={nope}', hitCondition: '>4' }] },
  );
  await terminated;
  const logs = output.filter((o) => o.output.startsWith('i='));
  assert.deepEqual(
    logs.map((o) => o.output),
    ['i=4 total=6 list=Array(1) [4] missing=<ReferenceError: nope is not defined>\n'],
  );
  assert.equal(logs[0].source?.path, LOOP);
  assert.equal(logs[0].line, line);
});

test('a breakpoint in a module required later binds when it loads, and again when it is reloaded', async (t) => {
  const client = await startClient(t);
  const late = fixture('late.js');
  const module = fixture('lateModule.js');
  const line = lineOf(module, 'late');
  const changed = client.waitForEvent('breakpoint');
  await client.initializeRequest();
  const launched = client.launchRequest({ program: late } as DebugProtocol.LaunchRequestArguments);
  await client.waitForEvent('initialized');
  const { body } = await client.setBreakpointsRequest({ source: { path: module }, breakpoints: [{ line }] });
  assert.equal(body.breakpoints[0].verified, false);
  await client.configurationDoneRequest();
  await launched;
  const first = await client.stopped();
  const update = (await changed) as DebugProtocol.BreakpointEvent;
  assert.deepEqual(
    [update.body.breakpoint.id, update.body.breakpoint.verified, update.body.breakpoint.line],
    [body.breakpoints[0].id, true, line],
  );
  assert.equal(first.top.source?.path, module);
  assert.equal((await client.locals(first.top.id)).get('round')?.value, '1');
  await client.continueRequest({ threadId: 1 });
  const second = await client.stopped();
  assert.equal((await client.locals(second.top.id)).get('round')?.value, '2');
});

test('a breakpoint in another file of the program is hit', async (t) => {
  const client = await startClient(t);
  await client.launchWith({ program: LOOP }, { [LIB]: [{ line: lineOf(LIB, 'lib') }] });
  const { top } = await client.stopped();
  assert.deepEqual([top.source?.path, top.line, top.name], [LIB, lineOf(LIB, 'lib'), 'describe']);
});

test('exception breakpoints: "all" stops on caught exceptions, "uncaught" only on uncaught ones', async (t) => {
  const program = fixture('exceptions.js');
  const throwLine = lineOf(program, 'throw');
  await t.test('all', async (tt) => {
    const client = await startClient(tt);
    await client.initializeRequest();
    const launched = client.launchRequest({ program } as DebugProtocol.LaunchRequestArguments);
    await client.waitForEvent('initialized');
    await client.setExceptionBreakpointsRequest({ filters: ['all'] });
    await client.configurationDoneRequest();
    await launched;
    const { event, top } = await client.stopped();
    assert.equal(event.body.reason, 'exception');
    assert.equal(top.line, throwLine);
    const info = await client.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info.body.exceptionId, 'TypeError');
    assert.equal(info.body.description, 'TypeError: bad caught');
    assert.equal(info.body.breakMode, 'always');
  });
  await t.test('uncaught', async (tt) => {
    const client = await startClient(tt);
    const exited = client.waitForEvent('exited');
    await client.initializeRequest();
    const launched = client.launchRequest({ program } as DebugProtocol.LaunchRequestArguments);
    await client.waitForEvent('initialized');
    await client.setExceptionBreakpointsRequest({ filters: ['uncaught'] });
    await client.configurationDoneRequest();
    await launched;
    const { event } = await client.stopped();
    assert.equal(event.body.text, 'TypeError: bad uncaught');
    const info = await client.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info.body.breakMode, 'unhandled');
    await client.continueRequest({ threadId: 1 });
    assert.equal(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 1);
  });
});
