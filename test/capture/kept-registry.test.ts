// The built-ins are named once the agent is installed, before the program stops (agent/index.ts
// prepare), and kept for the stop and later checkpoints of the process (capture/agent/kept.ts). What
// the program does in between must make the stop name them again: here its `ferry:checkpoint`
// listener, which runs after that and before the stop, loads a built-in module (whose functions
// the kept names lack) and replaces a built-in function with its own (which they name).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openTargetSession } from '../../snapshot/capture/target-session';
import { writeCheckpoint } from '../../snapshot/checkpoint';
import { launchWithInspector } from '../../snapshot/target/launch';
import { restore } from '../helpers/oracle';

/** A program whose `ferry:checkpoint` listener runs `change`, and whose restore prints `restored`. */
const program = (change: string, restored: string) => `
let deflate;
process.on('ferry:checkpoint', () => { ${change} });
process.on('ferry:restore', () => {
  console.log(${restored});
  process.exit(0);
});
setInterval(() => {}, 1000);
process.stdout.write('ready\\n');
`;

/** Checkpointed once, let go at once, and restored: what the restore prints. */
async function restoredOutput(source: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-kept-registry-'));
  try {
    writeFileSync(join(dir, 'program.js'), source);
    const launched = await launchWithInspector({ program: join(dir, 'program.js'), cwd: dir, stdio: 'pipe' });
    await new Promise((resolve) => launched.child.stdout!.once('data', resolve));
    const session = await openTargetSession(launched.webSocketUrl);
    try {
      const output = join(dir, 'program.ferry');
      await writeCheckpoint(session, { at: 'idle', output, resumeWhenRead: true });
      const restored = await restore(output, dir);
      assert.equal(restored.code, 0, restored.stderr);
      return restored.stdout;
    } finally {
      launched.child.kill('SIGKILL');
      await session.cdp.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('built-ins named before the stop', { timeout: 120_000 }, () => {
  it('are named again when the program loads a built-in module before it stops', async () => {
    const source = program(
      "deflate = require('zlib').deflateSync;",
      "require('zlib').inflateSync(deflate(Buffer.from('kept'))).toString()",
    );
    assert.equal(await restoredOutput(source), 'kept\n');
  });

  it('are named again when the program replaces one of their functions before it stops', async () => {
    // Node's function kept by the program, as graceful-fs keeps it.
    const source = program(
      "globalThis.nodeCwd = process.cwd; process.cwd = function programCwd() { return 'program'; };",
      'process.cwd(), process.cwd.name, nodeCwd !== process.cwd',
    );
    assert.equal(await restoredOutput(source), 'program programCwd true\n');
  });
});
