// Timers keep their order by due time when the checkpoint is taken from a pause: the program is held
// at a breakpoint, then goes on to the next idle point, where it is taken. The time it was held does
// not count (its clock stood still), for the timers armed before the pause as for those armed after
// it. Before, a timer armed before the pause lost the time held (it came due at once after the
// restore) while one armed after it did not, and they fired in the wrong order: the failure seen in
// streams-in-memory.js on a loaded machine, where the oracle's pause landed inside a timer callback.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openTargetSession } from '../../snapshot/capture/target-session';
import { writeCheckpoint } from '../../snapshot/checkpoint';
import { launchWithInspector } from '../../snapshot/target/launch';
import { restore } from '../helpers/oracle';

// The interval's ticks are due at 300 ms steps; the timeout, armed at tick 2, is due between ticks 3 and 4.
const PROGRAM = `
let tick = 0;
const timer = setInterval(() => {
  tick++;
  console.log('tick', tick);
  if (tick === 2) {
    debugger; // the test holds the program here
    setTimeout(() => console.log('timeout, due between ticks 3 and 4'), 450);
  }
  if (tick === 5) clearInterval(timer);
}, 300);
`;
const EXPECTED = 'tick 1\ntick 2\ntick 3\ntimeout, due between ticks 3 and 4\ntick 4\ntick 5\n';
/** Longer than a tick: a tick armed before the pause, counted as stopped time, comes due at once. */
const HELD_MS = 1_000;

describe('timer order across a checkpoint taken from a pause', { timeout: 60_000 }, () => {
  it('fires the timers armed before and after the pause in their order by due time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-timer-order-'));
    const checkpoint = join(dir, 'timers.ferry');
    try {
      writeFileSync(join(dir, 'timers.js'), PROGRAM);
      const launched = await launchWithInspector({
        program: join(dir, 'timers.js'),
        cwd: dir,
        stdio: 'pipe',
        breakOnStart: true,
      });
      let before = '';
      launched.child.stdout!.on('data', (chunk: Buffer) => (before += chunk));
      const session = await openTargetSession(launched.webSocketUrl, { startedWithBreak: true });
      try {
        const held = await session.cdp.once('Debugger.paused', undefined, 10_000);
        const stoppedAt = Date.now();
        await new Promise((resolve) => setTimeout(resolve, HELD_MS));
        await writeCheckpoint(session, {
          at: 'idle',
          output: checkpoint,
          pausedCallFrames: held.callFrames,
          stoppedAt,
        });
      } finally {
        launched.child.kill('SIGKILL');
        await session.cdp.close();
      }
      const restored = await restore(checkpoint, dir);
      assert.equal(restored.code, 0, restored.stderr);
      assert.equal(before + restored.stdout, EXPECTED);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
