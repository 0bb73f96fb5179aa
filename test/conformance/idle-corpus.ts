// The conformance corpus at idle points (zdtm-style): each program under corpus/ and libraries/ puts the process
// into one kind of state; its header says where to checkpoint (after N lines of output) or which
// refusal to expect (`// ferry-lines: 2,4`, `// ferry-refuse: <part of the refusal>`); `// ferry-stderr: tail`
// also compares stderr (what the restored program writes there ends the uninterrupted run's);
// `// ferry-refused-restoring-on: 23 <part of the refusal>`: checkpointed on an older Node and restored
// by Node 23 or later, the restore refuses it (exit 70) before the program goes on. Run by
// idle.test.ts on one Node, and by across-versions.test.ts checkpointed on one and restored on another.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  attachBeforeStart,
  checkpointAndRestore,
  expectedAcross,
  linesPrinted,
  restore,
  runUninterrupted,
  stage,
  type RunOutput,
} from '../helpers/oracle';
import { majorOf } from '../helpers/node-versions';
import { launchWithInspector } from '../../snapshot/target/launch';
import { writeCheckpoint } from '../../snapshot/checkpoint';

/** The Node binaries a run uses, asked once its tests start (one may be installed first). */
export interface CorpusNodes {
  /** Runs the programs and so takes their checkpoints. */
  program(): string;
  /** Restores the checkpoints. */
  restore(): string;
}

// corpus/: the language and the runtime, one kind of state each; libraries/: programs built on real
// npm libraries (the project's test dependencies, reached through a node_modules link when staged).
const programs = ['corpus', 'libraries'].flatMap((dir) =>
  readdirSync(join(__dirname, dir))
    .filter((f) => /\.(c?js|mjs)$/.test(f))
    .sort()
    .map((f) => join(dir, f)),
);

function header(source: string, name: string): string | undefined {
  return new RegExp(`^// ferry-${name}: (.*)$`, 'm').exec(source)?.[1];
}

const literally = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

/**
 * Every program of the corpus (those whose path `only` matches, when given), checkpointed and
 * restored on `nodes`; the refusal cases too, with `refusals`.
 */
export function idleCorpus(
  title: string,
  nodes: CorpusNodes,
  { refusals, only }: { refusals: boolean; only?: RegExp },
): void {
  describe(title, { concurrency: 2 }, () => {
    for (const file of programs.filter((path) => !only || only.test(path))) {
      const program = join(__dirname, file);
      const source = readFileSync(program, 'utf8');
      const refusal = header(source, 'refuse');
      if (!refusal) restoredAsUninterrupted(file, program, source, nodes);
      else if (refusals)
        it(`${file}: refused with "${refusal}"`, () => refusedAtCheckpoint(program, source, refusal, nodes));
    }
  });
}

/** The program stopped at its idle point and its checkpoint refused, naming why; the program goes on. */
async function refusedAtCheckpoint(program: string, source: string, refusal: string, nodes: CorpusNodes) {
  const { dir, script } = stage(program);
  const launched = await launchWithInspector({
    program: script,
    cwd: dir,
    stdio: 'pipe',
    breakOnStart: true,
    runtimeExecutable: nodes.program(),
  });
  try {
    const printed = linesPrinted(launched.child, Number(header(source, 'lines') ?? 1));
    const session = await attachBeforeStart(launched.webSocketUrl);
    await printed;
    try {
      await assert.rejects(writeCheckpoint(session, { at: 'idle', output: join(dir, 'x.ferry') }), (error: Error) => {
        assert.match(error.message, literally(refusal));
        return true;
      });
      // Refused before anything was stopped for good: the program goes on.
      const { result } = await session.cdp.send('Runtime.evaluate', { expression: '1 + 1', returnByValue: true });
      assert.equal(result.value, 2);
    } finally {
      await session.cdp.close();
    }
  } finally {
    launched.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `// ferry-refused-restoring-on: MAJOR TEXT` when the checkpoint's Node is older than MAJOR and the restoring one is not. */
function refusedRestoringOn(source: string, nodes: CorpusNodes): string | undefined {
  const [major, ...text] = (header(source, 'refused-restoring-on') ?? '').split(' ');
  const crosses = majorOf(nodes.program()) < Number(major) && majorOf(nodes.restore()) >= Number(major);
  return major && crosses ? text.join(' ') : undefined;
}

function restoredAsUninterrupted(file: string, program: string, source: string, nodes: CorpusNodes): void {
  const points = (header(source, 'lines') ?? '1').split(',').map(Number);
  describe(file, () => {
    let baseline: RunOutput;
    // Restored on another Node: what the program prints there after the checkpoint.
    let baselineThere: RunOutput;
    before(async () => {
      baseline = await runUninterrupted(program, nodes.program());
      assert.equal(baseline.code, Number(header(source, 'exit') ?? 0), `uninterrupted run failed:\n${baseline.stderr}`);
      baselineThere = nodes.restore() === nodes.program() ? baseline : await runUninterrupted(program, nodes.restore());
    });
    for (const lines of points) {
      it(`checkpoint after ${lines} line(s), restore, continue: same output and files`, async () => {
        const run = await checkpointAndRestore(
          program,
          lines,
          (checkpoint, dir) => restore(checkpoint, dir, nodes.restore()),
          nodes.program(),
        );
        const refused = refusedRestoringOn(source, nodes);
        if (refused) {
          assert.equal(run.code, 70, run.restoreStderr);
          assert.match(run.restoreStderr, literally(refused));
          assert.equal(run.after, '');
          return;
        }
        assert.equal(run.code, baseline.code, `restore exited ${run.code}:\n${run.restoreStderr}`);
        assert.equal(run.before + run.after, expectedAcross(run.before, baseline.stdout, baselineThere.stdout));
        // `// ferry-stderr: tail`: what the restored program writes on stderr ends the uninterrupted run's.
        if (header(source, 'stderr') === 'tail') {
          assert.ok(run.restoreStderr.length > 0, 'the restored program wrote nothing on stderr');
          assert.equal(baselineThere.stderr.slice(-run.restoreStderr.length), run.restoreStderr);
        }
        assert.deepEqual(run.files, baseline.files);
      });
    }
  });
}
