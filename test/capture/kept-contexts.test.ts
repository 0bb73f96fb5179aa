// Which closure contexts a function shares never changes, so what a heap snapshot told of it is
// kept for the next checkpoint of the process (capture/agent/kept.ts): a second checkpoint of a
// program whose contexts equal values cannot tell apart takes no snapshot. A function made since
// (one the snapshot did not see) calls for one again. Each restore must keep the sharing as it was.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openTargetSession, type TargetSession } from '../../snapshot/capture/target-session';
import { writeCheckpoint } from '../../snapshot/checkpoint';
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

/** One checkpoint, the program let go at once: whether it took a heap snapshot, and what its restore prints. */
async function checkpoint(session: TargetSession, dir: string, name: string) {
  const output = join(dir, `${name}.ferry`);
  const { manifest } = await writeCheckpoint(session, { at: 'idle', output, resumeWhenRead: true });
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
});
