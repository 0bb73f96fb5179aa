// What a capture asks of the inspector grows with what the program holds that needs it, and no
// faster. Each value the agent turns from the inspector into JS compiles a function in the target
// (and the debugger attached from outside hears of each, as a scriptParsed): the program's own
// nameless closures, checked against one of Node's, were read whole, two compiles each, 20,000 for
// the benchmark's million objects. The session's script table counts the compiles.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openTargetSession } from '../../snapshot/capture/target-session';
import { writeCheckpoint } from '../../snapshot/checkpoint';
import { launchWithInspector } from '../../snapshot/target/launch';

const CLOSURES = 2000;
// Nameless closures over a context each, and a stream written to (Node's stream recognisers are on).
const PROGRAM = `
const counters = [];
for (let i = 0; i < ${CLOSURES}; i++) {
  let count = i;
  counters.push(() => ++count);
}
setInterval(() => counters[0](), 1000);
process.stdout.write('ready\\n');
`;

describe('inspector reads of a capture', { timeout: 60_000 }, () => {
  it('compile a few functions per batch of closures, not some per closure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-inspector-reads-'));
    try {
      writeFileSync(join(dir, 'closures.js'), PROGRAM);
      const launched = await launchWithInspector({ program: join(dir, 'closures.js'), cwd: dir, stdio: 'pipe' });
      await new Promise((resolve) => launched.child.stdout!.once('data', resolve));
      const session = await openTargetSession(launched.webSocketUrl);
      try {
        const scriptsBefore = session.scripts.size;
        const { manifest } = await writeCheckpoint(session, {
          at: 'idle',
          output: join(dir, 'closures.ferry'),
          resumeWhenRead: true,
        });
        assert.ok(manifest.heap.objects > 2 * CLOSURES, 'each closure and its context carried');
        const compiled = session.scripts.size - scriptsBefore;
        // The functions' scopes come out a batch of 64 at a time: about 32 compiles, and a few more.
        assert.ok(compiled < CLOSURES / 20, `${compiled} scripts compiled for ${CLOSURES} closures`);
      } finally {
        launched.child.kill('SIGKILL');
        await session.cdp.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
