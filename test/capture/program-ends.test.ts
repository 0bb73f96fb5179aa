// A program that ends while the checkpoint lets it run on to its idle point: Node keeps the process
// until the debugger lets go, and no pause ever comes. The checkpoint says the program ended, at
// once, instead of waiting for a stop forever (a CI run hung 30 minutes on this).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Protocol } from 'devtools-protocol';
import { openTargetSession } from '../../snapshot/capture/target-session';
import { writeCheckpoint } from '../../snapshot/checkpoint';
import { launchWithInspector } from '../../snapshot/target/launch';

// Stopped at its `debugger;`, the program's next step is to throw: it ends before any idle point.
const ENDS_WHEN_LET_GO = `
setTimeout(() => {
  debugger;
  throw new Error('the end');
}, 50);
`;

test(
  'a program that ends on its way to the idle point: "the program ended", no wait',
  { timeout: 60_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-program-ends-'));
    try {
      writeFileSync(join(dir, 'ends.js'), ENDS_WHEN_LET_GO);
      const launched = await launchWithInspector({
        program: join(dir, 'ends.js'),
        cwd: dir,
        stdio: 'pipe',
        breakOnStart: true,
      });
      // Held at its first line until the debugger is on, and listened for before it goes.
      let stopped: Promise<{ callFrames: Protocol.Debugger.CallFrame[] }> | undefined;
      const session = await openTargetSession(launched.webSocketUrl, {
        startedWithBreak: true,
        beforeStart: async (cdp) => void (stopped = cdp.once('Debugger.paused', (event) => event.reason === 'other')),
      });
      try {
        const { callFrames } = await stopped!;
        await assert.rejects(
          writeCheckpoint(session, {
            at: 'idle',
            output: join(dir, 'ends.ferry'),
            pausedCallFrames: callFrames,
            idleTimeoutMs: 30_000,
          }),
          /the program ended while it was being checkpointed/,
        );
      } finally {
        launched.child.kill('SIGKILL');
        await session.cdp.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
