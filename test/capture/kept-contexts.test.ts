// Which closure contexts a function shares never changes, so what a heap snapshot told of it is
// kept for the next checkpoint of the process (capture/agent/kept.ts): a second checkpoint of a
// program whose contexts equal values cannot tell apart takes no snapshot. A function made since
// (one the snapshot did not see) calls for one again. Each restore must keep the sharing as it was.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import type { Protocol } from 'devtools-protocol';
import { openTargetSession, type TargetSession } from '../../snapshot/capture/target-session';
import { resumeTarget, writeCheckpoint } from '../../snapshot/checkpoint';
import { launchWithInspector } from '../../snapshot/target/launch';
import { restore } from '../helpers/oracle';

// Counters made by two calls hold equal values in a variable that changes: only the heap snapshot
// tells their contexts apart, while each counter's two closures share one. Restored, the first
// counter is bumped and every counter read.
const PROGRAM = `
function makeCounter() {
  let n = 0;
  return { inc: () => ++n, get: () => n };
}
const counters = [makeCounter(), makeCounter()];
globalThis.addCounter = () => counters.push(makeCounter());
process.on('ferry:restore', () => {
  counters[0].inc();
  console.log(counters.map((c) => c.get()).join(' '));
  process.exit(0);
});
setInterval(() => {}, 1000);
process.stdout.write('ready\\n');
`;

// Checkpoint Here in a timer's callback (so V8's microtask queue is not read) while two counters
// hold equal values at every hit.
const TICKS = `'use strict';
function makeCounter() {
  let n = 0;
  return { inc: () => ++n, get: () => n };
}
const a = makeCounter();
const b = makeCounter();
let ticks = 0;
function tick() {
  ticks++;
  a.inc();
  b.inc();
  console.log('tick', ticks, 'a', a.get(), 'b', b.get());
  if (ticks === 3) clearInterval(timer);
}
const timer = setInterval(tick, 10);
`;
const TICKS_BREAKPOINT_LINE = 11;

/** One checkpoint, the program let go at once: whether it took a heap snapshot, and what its restore prints. */
async function checkpoint(session: TargetSession, dir: string, name: string, here?: Protocol.Debugger.PausedEvent) {
  const output = join(dir, `${name}.ferry`);
  const { manifest } = here
    ? await writeCheckpoint(session, { at: 'here', pausedCallFrames: here.callFrames, stoppedAt: Date.now(), output })
    : await writeCheckpoint(session, { at: 'idle', output, resumeWhenRead: true });
  if (here) await resumeTarget(session);
  const snapshot = Object.keys(manifest.timings?.stopped ?? {}).find((phase) => phase.startsWith('heap snapshot'));
  const restored = await restore(output, dir);
  assert.equal(restored.code, 0, restored.stderr);
  return { snapshot, printed: restored.stdout };
}

describe('closure contexts kept between checkpoints', { timeout: 120_000 }, () => {
  it('are told apart without a snapshot until a function the last one did not see', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-kept-contexts-'));
    try {
      writeFileSync(join(dir, 'counters.js'), PROGRAM);
      const launched = await launchWithInspector({ program: join(dir, 'counters.js'), cwd: dir, stdio: 'pipe' });
      await new Promise((resolve) => launched.child.stdout!.once('data', resolve));
      const session = await openTargetSession(launched.webSocketUrl);
      try {
        const first = await checkpoint(session, dir, 'first');
        assert.match(first.snapshot ?? '', /closures whose contexts equal values cannot tell apart/);
        assert.equal(first.printed, '1 0\n');

        const again = await checkpoint(session, dir, 'again');
        assert.equal(again.snapshot, undefined, 'the contexts the first snapshot told are kept');
        assert.equal(again.printed, '1 0\n');

        await session.cdp.send('Runtime.evaluate', { expression: 'addCounter()' });
        const grown = await checkpoint(session, dir, 'grown');
        assert.match(grown.snapshot ?? '', /closures whose contexts equal values cannot tell apart/);
        assert.equal(grown.printed, '1 0 0\n');
      } finally {
        launched.child.kill('SIGKILL');
        await session.cdp.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keep telling them apart at a breakpoint hit again in the same process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-kept-contexts-'));
    const program = join(dir, 'ticks.js');
    try {
      writeFileSync(program, TICKS);
      const launched = await launchWithInspector({ program, cwd: dir, stdio: 'pipe', breakOnStart: true });
      const hits: Protocol.Debugger.PausedEvent[] = [];
      let arrived = () => {};
      const session = await openTargetSession(launched.webSocketUrl, {
        startedWithBreak: true,
        beforeStart: async (cdp) => {
          const at = { url: pathToFileURL(program).href, lineNumber: TICKS_BREAKPOINT_LINE - 1 };
          const { breakpointId } = await cdp.send('Debugger.setBreakpointByUrl', at);
          cdp.on('Debugger.paused', (event) => {
            if (!event.hitBreakpoints?.includes(breakpointId)) return;
            hits.push(event);
            arrived();
          });
        },
      });
      const nextHit = async () => {
        if (hits.length === 0) await new Promise<void>((resolve) => (arrived = resolve));
        return hits.shift()!;
      };
      try {
        const expected = ['tick 1 a 1 b 1', 'tick 2 a 2 b 2', 'tick 3 a 3 b 3'];
        for (let hit = 1; hit <= 3; hit++) {
          const taken = await checkpoint(session, dir, `hit${hit}`, await nextHit());
          assert.equal(taken.printed, expected.slice(hit - 1).join('\n') + '\n', `restored at hit ${hit}`);
          if (hit === 1) assert.match(taken.snapshot ?? '', /closures whose contexts equal values cannot tell apart/);
          else assert.equal(taken.snapshot, undefined, `hit ${hit}: the contexts the first snapshot told are kept`);
        }
      } finally {
        launched.child.kill('SIGKILL');
        await session.cdp.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
