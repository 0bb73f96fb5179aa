// Restoring on another Node version than the one the checkpoint was taken on: corpus programs
// checkpointed on this Node (20) are restored by Node 22 and 24 (restore.js run by that binary,
// handed the program's files as `ferry restore` hands them); each must print what one
// uninterrupted run prints and leave the same files. Checkpoints taken on Node 22 and 24 are
// restored there too, at idle and at breakpoints (Checkpoint Here), and on this Node (the whole
// corpus runs on another Node with FERRY_TEST_NODE, oracle.ts).
// Node 22 and 24 come from the npm registry into .node-versions/ on first run (test/helpers/node-versions.ts).
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  checkpointAndRestore,
  collect,
  filesIn,
  linesPrinted,
  restore,
  runUninterrupted,
  stage,
  type OracleRun,
  type Restorer,
  type RunOutput,
} from '../helpers/oracle';
import { restoreRuntimePath } from '../../snapshot/assets';
import { nodeOfMajor } from '../helpers/node-versions';
import { assertSameAtEachPoint, herePointsOf } from '../helpers/here-oracle';
import { aloneOnPort9229 } from '../remote/env';

/**
 * A few kinds of state: files held open by number (handed over and adopted), write streams, a
 * suspended async function, generators, a server, listeners that remove themselves in emit()
 * (Node 24 counts emit()'s loops on a listener array), streams piped through Transforms,
 * readline interfaces (Node 24 keeps their history in an object of its own).
 */
const PROGRAMS = [
  'corpus/file-descriptors.js',
  'corpus/fs-write-streams.js',
  'corpus/async-nested-awaits.js',
  'corpus/generators-suspended.js',
  'corpus/http-server-counts.js',
  'corpus/emitter-once-ahead.js',
  'corpus/readline-streams.js',
  'libraries/split2-ndjson.js',
].map((name) => join(__dirname, name));
const CLI = resolve(__dirname, '../../dist/cli.js');
/** Holds util.isBoolean, which Node 23 removed. */
const REMOVED_BUILTIN = join(__dirname, 'node-versions', 'removed-builtin.js');
/** Holds files by number; started plainly, they get numbers Node 22 holds from its start. */
const HELD_FILES_PLAIN = join(__dirname, 'node-versions', 'held-files-plain.js');

/** HELD_FILES_PLAIN run to its end in a fresh directory (`go` made first: it does not wait). */
async function runPlainly(): Promise<RunOutput> {
  const { dir, script } = stage(HELD_FILES_PLAIN);
  try {
    writeFileSync(join(dir, 'go'), '');
    const run = await collect(spawn(process.execPath, [script], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }));
    return { ...run, files: filesIn(dir, [basename(script)]) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * As the oracle, for HELD_FILES_PLAIN started plainly (`node held-files-plain.js`, no inspector to
 * take descriptors first), checkpointed by `ferry checkpoint --pid PID --then stop` while it waits for `go`.
 */
async function checkpointByPidAndRestore(restoreIt: Restorer): Promise<OracleRun> {
  const { dir, script } = stage(HELD_FILES_PLAIN);
  const checkpoint = join(dir, '..', `${basename(dir)}.ferry`);
  try {
    const child = spawn(process.execPath, [script], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = collect(child);
    await linesPrinted(child, 2);
    // SIGUSR1 opens 127.0.0.1:9229: one test file at a time.
    const taken = await aloneOnPort9229(() =>
      collect(
        spawn(process.execPath, [CLI, 'checkpoint', '--pid', String(child.pid), '-o', checkpoint, '--then', 'stop'], {
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      ),
    );
    assert.equal(taken.code, 0, taken.stderr);
    const before = await output;
    rmSync(script);
    writeFileSync(join(dir, 'go'), '');
    return oracleRunOf(before.stdout, await restoreIt(checkpoint, dir), dir, checkpoint);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(checkpoint, { force: true });
  }
}

/** What the oracle compares: the output before the checkpoint, the restored run's, and the files left in `dir`. */
function oracleRunOf(
  before: string,
  restored: { stdout: string; stderr: string; code: number | null },
  dir: string,
  checkpoint: string,
): OracleRun {
  return {
    before,
    after: restored.stdout,
    code: restored.code,
    files: filesIn(dir),
    checkpointBytes: statSync(checkpoint).size,
    restoreStderr: restored.stderr,
  };
}

function firstPoint(program: string): number {
  return Number(/^\/\/ ferry-lines: (\d+)/m.exec(readFileSync(program, 'utf8'))?.[1] ?? 1);
}

/** Each program run and checkpointed on `checkpointingNode` (default: the oracle's) and restored on `restoringNode`. */
function sameAsUninterrupted(
  programs: string[],
  restoringNode: () => string,
  checkpointingNode: () => string | undefined = () => undefined,
): void {
  for (const program of programs) {
    describe(basename(program), () => {
      let baseline: RunOutput;
      before(async () => {
        baseline = await runUninterrupted(program, checkpointingNode());
      });
      it('same output and files as an uninterrupted run', async () => {
        const run = await checkpointAndRestore(
          program,
          firstPoint(program),
          (checkpoint, dir) => restore(checkpoint, dir, restoringNode()),
          checkpointingNode(),
        );
        assert.equal(run.code, baseline.code, `restore exited ${run.code}:\n${run.restoreStderr}`);
        assert.equal(run.before + run.after, baseline.stdout);
        assert.deepEqual(run.files, baseline.files);
      });
    });
  }
}

/** Programs that load fetch()'s undici, whose dispatcher Node 22 and 24 make as it loads. */
const FETCH_PROGRAMS = ['timers-promises-fetch.js'].map((name) => join(__dirname, 'corpus', name));
/** A WebAssembly instance with a JavaScript import the program holds too (Node 22 and 24 keep imports in its trusted data). */
const WASM_IMPORTS_HELD = join(__dirname, 'node-versions', 'webassembly-imports-held.js');
/**
 * Checkpoint Here programs (at their `// @bp` markers, test/helpers/here-oracle.ts) whose capture
 * reads what differs between versions: paused in the first of an event's listeners (Node 24's
 * emit() loops over its own array); with a queueMicrotask callback and a promise reaction queued
 * behind a timer's callback (V8 12 moved the queue's roots and the tasks' fields, Node 24 queues a
 * callback itself); at a module's top level (the loader's frames are nameless from V8 12) with
 * bindings in their dead zone (a scope object throws on them from V8 12); in a stream's write
 * callbacks with a write's `done` waiting in an immediate (nameless on Node 24).
 */
const HERE_PROGRAMS = [
  'node-versions/here-in-listener.js',
  'here-corpus/timer-microtasks.js',
  'node-versions/here-dead-zone.js',
  'here-corpus/stream-callbacks.js',
].map((name) => join(__dirname, name));
/** The corpus's instance, whose import only the instance holds. */
const WASM_IMPORTS_UNHELD = join(__dirname, 'corpus', 'webassembly-instance.js');

describe('checkpoint on Node 22 and 24, restore there', { concurrency: 1 }, () => {
  for (const major of [22, 24]) {
    describe(`Node ${major}`, () => {
      let node: string;
      before(() => {
        node = nodeOfMajor(major);
      });
      for (const program of [...PROGRAMS, ...FETCH_PROGRAMS, WASM_IMPORTS_HELD]) {
        it(`${basename(program)}: same output and files as an uninterrupted run there`, async () => {
          const baseline = await runUninterrupted(program, node);
          const run = await checkpointAndRestore(
            program,
            firstPoint(program),
            (checkpoint, dir) => restore(checkpoint, dir, node),
            node,
          );
          assert.equal(run.code, baseline.code, `restore exited ${run.code}:\n${run.restoreStderr}`);
          assert.equal(run.before + run.after, baseline.stdout);
          assert.deepEqual(run.files, baseline.files);
        });
      }
    });
  }
  for (const major of [22, 24]) {
    for (const program of HERE_PROGRAMS) {
      it(`Node ${major}: Checkpoint Here in ${basename(program)} (${herePointsOf(program).join(', ')})`, () =>
        assertSameAtEachPoint(program, nodeOfMajor(major)));
    }
  }
  it('Node 24: an instance whose import only it holds is refused, naming the import and why', async () => {
    const node = nodeOfMajor(24);
    await assert.rejects(
      checkpointAndRestore(
        WASM_IMPORTS_UNHELD,
        firstPoint(WASM_IMPORTS_UNHELD),
        (c, dir) => restore(c, dir, node),
        node,
      ),
      /instance: a WebAssembly\.Instance importing functions the program no longer holds \(env\.log\): Node v24\.\S+ keeps them inside the instance, where the inspector cannot reach them; keep a reference/,
    );
  });
});

/** Holds readline Interfaces: Node 24 gives each accessors and a history object Node 20 does not have. */
const READLINE = PROGRAMS.find((program) => program.endsWith('readline-streams.js'))!;

describe(`checkpoint on Node 22 and 24, restore on ${process.version}`, { concurrency: 1 }, () => {
  for (const major of [22, 24]) {
    describe(`checkpoint on Node ${major}`, () => {
      let node: string;
      before(() => {
        node = nodeOfMajor(major);
      });
      const programs = major > 23 ? PROGRAMS.filter((program) => program !== READLINE) : PROGRAMS;
      sameAsUninterrupted(
        programs,
        () => process.execPath,
        () => node,
      );
    });
  }
  it('from Node 24, what this Node lacks is refused by name before the program goes on, --ship-node suggested', async () => {
    const node = nodeOfMajor(24);
    const run = await checkpointAndRestore(
      READLINE,
      firstPoint(READLINE),
      (checkpoint, dir) => restore(checkpoint, dir, process.execPath),
      node,
    );
    assert.equal(run.code, 70, run.restoreStderr);
    assert.match(
      run.restoreStderr,
      /^ferry: this checkpoint was taken on Node v24\.\S+ and uses built-ins that this Node \(v20\.\S+\) does not have: probe:Interface\.history\.get, .*--ship-node/m,
    );
    assert.equal(run.after, '');
  });
});

describe('restore on another Node version', { concurrency: 1 }, () => {
  for (const major of [22, 24]) {
    describe(`checkpoint on ${process.version}, restore on Node ${major}`, () => {
      let node: string;
      before(() => {
        node = nodeOfMajor(major);
      });
      sameAsUninterrupted(major < 23 ? [...PROGRAMS, REMOVED_BUILTIN] : PROGRAMS, () => node);
    });
  }
  it('a built-in the restoring Node lacks is refused by name before the program goes on', async () => {
    const run = await checkpointAndRestore(REMOVED_BUILTIN, firstPoint(REMOVED_BUILTIN), (checkpoint, dir) =>
      restore(checkpoint, dir, nodeOfMajor(24)),
    );
    assert.equal(run.code, 70, run.restoreStderr);
    assert.match(
      run.restoreStderr,
      /^ferry: this checkpoint was taken on Node v20\.\S+ and uses built-ins that this Node \(v24\.\S+\) does not have: module:util\.isBoolean\. .*--ship-node/m,
    );
    assert.equal(run.after, '');
    // The program did not go on: its file holds the steps it made before the checkpoint.
    assert.equal(
      run.files['steps.txt'],
      run.before
        .split('\n')
        .filter(Boolean)
        .map((_, k) => `${k + 1}\n`)
        .join(''),
    );
  });
  describe('files held at numbers a newer Node opens at its start (started plainly, checkpoint by --pid)', () => {
    let baseline: RunOutput;
    before(async () => {
      baseline = await runPlainly();
    });
    it('ferry restore hands them over: the same output and files on Node 22', async () => {
      const run = await checkpointByPidAndRestore((checkpoint, dir) => restore(checkpoint, dir, nodeOfMajor(22)));
      assert.equal(run.code, baseline.code, run.restoreStderr);
      assert.equal(run.before + run.after, baseline.stdout);
      assert.deepEqual(run.files, baseline.files);
    });
    it('without them handed over (a restore on a host) the file is named, and --ship-node suggested', async () => {
      const bare: Restorer = (checkpoint, dir) =>
        collect(
          spawn(nodeOfMajor(22), [restoreRuntimePath(), checkpoint], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }),
        );
      const run = await checkpointByPidAndRestore(bare);
      assert.equal(run.code, 70, run.restoreStderr);
      assert.match(
        run.restoreStderr,
        /^ferry: cannot reopen \S+app\.log as file descriptor \d+: that number is already in use in this process .*--ship-node\)$/m,
      );
      assert.equal(run.after, '');
    });
  });
});
