// Two calls of one function leave equal values in a variable that changes later. When each call's
// context also holds a function only that call made (a declaration, a const arrow), the values
// tell the contexts apart and no heap snapshot is taken (ScriptFacts.ownClosureNames); a name that
// is also bound where every call sees the same function (a named function expression's own name)
// still needs one.
// Either way the restore keeps each counter's closures on its own context.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openTargetSession } from '../../snapshot/capture/target-session';
import { writeCheckpoint } from '../../snapshot/checkpoint';
import { launchWithInspector } from '../../snapshot/target/launch';
import { restore } from '../helpers/oracle';

/** Two counters at 0 made by `makeCounter`; restored, the first is bumped through `inc` and both read through `get`. */
function counters(makeCounter: string): string {
  return `
${makeCounter}
const counters = [makeCounter(), makeCounter()];
process.on('ferry:restore', () => {
  counters[0].inc();
  console.log(counters.map((c) => c.get()).join(' '));
  process.exit(0);
});
setInterval(() => {}, 1000);
process.stdout.write('ready\\n');
`;
}

// `incTwice` reads `inc`: V8 keeps in a context only what a closure reads.
const DECLARED = `function makeCounter() {
  let n = 0;
  function inc() { return ++n; }
  const get = () => n;
  return { inc, get, incTwice: () => inc() + inc() };
}`;

const NAMED_EXPRESSION = `function makeCounter() {
  let n = 0;
  const inc = function inc() { return ++n; };
  return { inc, get: () => n, incTwice: () => inc() + inc() };
}`;

/** Checkpoints the program at idle: the heap snapshot phase, if one was taken, and what its restore prints. */
async function checkpointAndRestore(source: string): Promise<{ snapshot: string | undefined; printed: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-own-closures-'));
  try {
    writeFileSync(join(dir, 'counters.js'), source);
    const launched = await launchWithInspector({ program: join(dir, 'counters.js'), cwd: dir, stdio: 'pipe' });
    try {
      await new Promise((resolve) => launched.child.stdout!.once('data', resolve));
      const session = await openTargetSession(launched.webSocketUrl);
      const output = join(dir, 'counters.ferry');
      try {
        const { manifest } = await writeCheckpoint(session, { at: 'idle', output, resumeWhenRead: true });
        const snapshot = Object.keys(manifest.timings?.stopped ?? {}).find((phase) =>
          phase.startsWith('heap snapshot'),
        );
        const restored = await restore(output, dir);
        assert.equal(restored.code, 0, restored.stderr);
        return { snapshot, printed: restored.stdout };
      } finally {
        await session.cdp.close();
      }
    } finally {
      launched.child.kill('SIGKILL');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('closure contexts told apart by the functions they made', { timeout: 120_000 }, () => {
  it('a declaration of the call: no heap snapshot, the counters stay apart', async () => {
    const { snapshot, printed } = await checkpointAndRestore(counters(DECLARED));
    assert.equal(snapshot, undefined);
    assert.equal(printed, '1 0\n');
  });

  it("a named function expression's own name: the heap snapshot tells them apart", async () => {
    const { snapshot, printed } = await checkpointAndRestore(counters(NAMED_EXPRESSION));
    assert.match(snapshot ?? '', /closures whose contexts equal values cannot tell apart/);
    assert.equal(printed, '1 0\n');
  });
});
