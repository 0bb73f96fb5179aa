// Two calls of one function leave equal values in a variable that changes later. When each call's
// context also holds a function only that call made (a declaration, a const arrow), the values
// tell the contexts apart and no heap snapshot is taken (ScriptFacts.freshValueNames); a name that
// is also bound where every call sees the same function (a named function expression's own name)
// still needs one.
// Either way the restore keeps each counter's closures on its own context.
// A variable only its own function's code assigns is frozen once no run of that function is live:
// equal values then need no snapshot. While a run is live (a suspended generator), they still do.
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

/**
 * Two runs of `make` leave equal values; restored, the first run goes on and both are read (once
 * the restore has resumed the suspended generators, which it does after 'ferry:restore').
 */
function twoRuns(make: string, runs: string, goOn: string): string {
  return `
${make}
const runs = [${runs}];
process.on('ferry:restore', () => setImmediate(() => {
  ${goOn}
  console.log(runs.map((run) => run.get()).join(' '));
  process.exit(0);
}));
setInterval(() => {}, 1000);
process.stdout.write('ready\\n');
`;
}

const OWN_CODE_ASSIGNS = `function make(label) {
  let n = 0;
  for (const ch of label) n += ch.length;
  return { get: () => n, twice: () => n * 2 };
}`;

const CLOSURE_ASSIGNS = `function make() {
  let n = 0;
  return { inc: () => ++n, get: () => n };
}`;

// The first run is suspended (live: it may still assign n), the second finished with n as it was.
const SUSPENDED_RUN = `function* counting() {
  let n = 0;
  n += yield () => n;
  yield () => n;
}
function make(finish) {
  const run = counting();
  const get = run.next().value;
  if (finish) while (!run.next(0).done);
  return { run, get };
}`;

describe('closure contexts whose variables only their own code assigns', { timeout: 120_000 }, () => {
  it('frozen once the runs returned: no heap snapshot, the values kept', async () => {
    const { snapshot, printed } = await checkpointAndRestore(twoRuns(OWN_CODE_ASSIGNS, "make('abc'), make('xyz')", ''));
    assert.equal(snapshot, undefined);
    assert.equal(printed, '3 3\n');
  });

  it('a closure assigns the variable: the heap snapshot tells them apart', async () => {
    const { snapshot, printed } = await checkpointAndRestore(
      twoRuns(CLOSURE_ASSIGNS, 'make(), make()', 'runs[0].inc();'),
    );
    assert.match(snapshot ?? '', /closures whose contexts equal values cannot tell apart/);
    assert.equal(printed, '1 0\n');
  });

  it('a run still live (a suspended generator) is never merged with a finished one', async () => {
    const result = await checkpointAndRestore(
      twoRuns(SUSPENDED_RUN, 'make(false), make(true)', 'runs[0].run.next(1);'),
    ).catch((error: Error) => error);
    if (result instanceof Error) assert.match(result.message, /cannot be told apart from another frame's/);
    else assert.equal(result.printed, '1 0\n');
  });
});
