// The fidelity oracle over SSH (docs/ARCHITECTURE.md §4): every idle corpus program, checkpointed here after N
// lines, its directory deleted, restored through `ferry restore CP --on remote2` in that directory on
// remote2, a host with a filesystem of its own (ssh-testenv.sh; never cut, unlike remote1): what it
// needs there is only what Ferry ships (the files it wrote or reads travel inside the checkpoint, its
// open files are reopened there). The two halves of its output must be the uninterrupted run's output
// byte for byte, and the files it left there (fetched back over SSH) the uninterrupted run's files.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { remoteDir, skipReason } from './env';
import { stage } from '../helpers/oracle';
import { pausePointsOf } from '../resume/harness/oracle';
import {
  baseline,
  checkpointAndDelete,
  CORPUS,
  fetchFiles,
  ferry,
  header,
  onHost,
  onlyRun,
  withCliHost,
  writtenFiles,
} from './oracle-remote';

const RESUME_CORPUS = join(__dirname, '..', 'resume', 'corpus');
const HOST = 'remote2';
// The idle corpus and the real-library programs (their packages travel as the modules they loaded).
const LIBRARIES = join(CORPUS, '..', 'libraries');
const programs = [CORPUS, LIBRARIES].flatMap((dir) =>
  readdirSync(dir)
    .filter((file) => /\.(c?js|mjs)$/.test(file) && !header(join(dir, file), 'refuse'))
    .sort()
    .map((file) => join(dir, file)),
);

// The whole suite takes ~3.5 min on two cores; the limit is there to end a hang, not to time it.
describe(
  `fidelity oracle over SSH: ferry restore --on ${HOST} (a filesystem of its own)`,
  { skip: skipReason, timeout: 600_000, concurrency: 3 },
  () => {
    const host = withCliHost(HOST);

    it(`covers a large sample of the corpus (${programs.length} programs)`, () =>
      assert.ok(programs.length >= 15, programs.join(' ')));

    for (const program of programs) {
      const file = relative(join(CORPUS, '..'), program);
      // The first of its checkpoint points (the local suite runs them all): the most of the program is
      // left to run after it, so a loaded machine does not let it end while it is being checkpointed.
      const lines = Number((header(program, 'lines') ?? '1').split(',')[0]);
      it(`${file} after ${lines} line(s)`, async () => {
        const expected = await baseline(program);
        const origin = await checkpointAndDelete(program, lines);
        const dir = remoteDir('oracle');
        try {
          const restored = await ferry(['restore', origin.checkpoint, ...onHost(HOST, dir), '--keep']);
          assert.equal(restored.code, expected.code, restored.stderr);
          assert.equal((origin.before + restored.stdout).replaceAll(origin.dir, '<dir>'), expected.stdout);
          const run = await onlyRun(HOST, dir);
          assert.deepEqual({ state: run.state, exitCode: run.exitCode }, { state: 'exited', exitCode: expected.code });
          assert.deepEqual(writtenFiles(program, await fetchFiles(host(), origin.dir)), expected.written);
        } finally {
          rmSync(origin.checkpoint, { force: true });
          await host().exec(`rm -rf ${origin.dir} ${dir}`);
        }
      });
    }
  },
);

// Checkpoint Here over SSH: programs of the resume corpus, paused at their first `// @bp` point by
// `ferry run --checkpoint-at`, deleted here, resumed on remote2 from that very line; and every
// program of the here corpus that checkpoints inside callbacks (timers, immediates and ticks,
// promise reactions, listeners, stream, fs and HTTP callbacks, the nearest safe point), or in
// frames holding WebAssembly exports or closure contexts with equal values.
const HERE_CORPUS = join(__dirname, '..', 'conformance', 'here-corpus');
const HERE_PROGRAMS = [
  ...[
    'nested-calls.js',
    'class-super.js',
    'foreach-callback.js',
    'shared-closure.js',
    'try-catch-outer.js',
    'recursion-mutual.js',
  ].map((file) => join(RESUME_CORPUS, file)),
  ...[
    'timer-callbacks.js',
    'immediate-and-tick.js',
    'promise-reactions.js',
    'emitter-listeners.js',
    'stream-callbacks.js',
    'fs-callbacks.js',
    'http-handler.js',
    'nearest-point.js',
    'webassembly-frames.js',
    'equal-contexts-frames.js',
    'rxjs-equal-scans.js',
    'error-stacks.js',
    'error-stacks-esm.mjs',
    'finally-return.js',
    'finally-leaving.js',
    'array-iterator-loops.js',
    'esm-top-level-await.mjs',
    'esm-async-running.mjs',
    'private-over-function.js',
  ].map((file) => join(HERE_CORPUS, file)),
];

describe(
  `Checkpoint Here over SSH: ferry run --checkpoint-at here, ferry restore --on ${HOST}`,
  { skip: skipReason, timeout: 300_000, concurrency: 2 },
  () => {
    const host = withCliHost(HOST);

    for (const program of HERE_PROGRAMS) {
      it(relative(join(CORPUS, '..', '..'), program), async () => {
        const [point] = pausePointsOf(readFileSync(program, 'utf8'));
        const expected = await baseline(program);
        const { dir, script } = stage(program);
        const checkpoint = `${dir}.ferry`;
        const remote = remoteDir('here');
        try {
          // Run in its directory, restored at the same path there.
          const origin = await ferry(
            ['run', '--checkpoint-at', `${script}:${point.line}#${point.hit}`, '-o', checkpoint, '--', script],
            process.env,
            dir,
          );
          assert.equal(origin.code, 0, origin.stderr);
          rmSync(dir, { recursive: true, force: true });
          const restored = await ferry(['restore', checkpoint, ...onHost(HOST, remote)]);
          assert.equal(restored.code, expected.code, restored.stderr);
          assert.equal(origin.stdout + restored.stdout, expected.stdout);
        } finally {
          rmSync(dir, { recursive: true, force: true });
          rmSync(checkpoint, { force: true });
          await host().exec(`rm -rf ${dir} ${remote}`);
        }
      });
    }
  },
);
