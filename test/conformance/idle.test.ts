// The conformance corpus at idle points (zdtm-style): each program under corpus/ and libraries/ puts the process
// into one kind of state; its header says where to checkpoint (after N lines of output) or which
// refusal to expect (`// ferry-lines: 2,4`, `// ferry-refuse: <part of the refusal>`); `// ferry-stderr: tail`
// also compares stderr (what the restored program writes there ends the uninterrupted run's).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { PROGRAM_NODE, checkpointAndRestore, runUninterrupted, type RunOutput } from '../helpers/oracle';
import { launchWithInspector } from '../../snapshot/target/launch';
import { openTargetSession } from '../../snapshot/capture/target-session';
import { writeCheckpoint } from '../../snapshot/checkpoint';
import { linesPrinted, stage } from '../helpers/oracle';
import { rmSync } from 'node:fs';

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

describe('idle conformance corpus', { concurrency: 2 }, () => {
  for (const file of programs) {
    const program = join(__dirname, file);
    const source = readFileSync(program, 'utf8');
    const refusal = header(source, 'refuse');
    if (refusal) {
      it(`${file}: refused with "${refusal}"`, async () => {
        const { dir, script } = stage(program);
        const launched = await launchWithInspector({
          program: script,
          cwd: dir,
          stdio: 'pipe',
          breakOnStart: true,
          runtimeExecutable: PROGRAM_NODE,
        });
        try {
          const printed = linesPrinted(launched.child, Number(header(source, 'lines') ?? 1));
          const session = await openTargetSession(launched.webSocketUrl, { startedWithBreak: true });
          await printed;
          try {
            await assert.rejects(
              writeCheckpoint(session, { at: 'idle', output: join(dir, 'x.ferry') }),
              (error: Error) => {
                assert.match(error.message, new RegExp(refusal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
                return true;
              },
            );
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
      });
      continue;
    }
    const points = (header(source, 'lines') ?? '1').split(',').map(Number);
    describe(file, () => {
      let baseline: RunOutput;
      before(async () => {
        baseline = await runUninterrupted(program);
        assert.equal(
          baseline.code,
          Number(header(source, 'exit') ?? 0),
          `uninterrupted run failed:\n${baseline.stderr}`,
        );
      });
      for (const lines of points) {
        it(`checkpoint after ${lines} line(s), restore, continue: same output and files`, async () => {
          const run = await checkpointAndRestore(program, lines);
          assert.equal(run.code, baseline.code, `restore exited ${run.code}:\n${run.restoreStderr}`);
          assert.equal(run.before + run.after, baseline.stdout);
          // `// ferry-stderr: tail`: what the restored program writes on stderr ends the uninterrupted run's.
          if (header(source, 'stderr') === 'tail') {
            assert.ok(run.restoreStderr.length > 0, 'the restored program wrote nothing on stderr');
            assert.equal(baseline.stderr.slice(-run.restoreStderr.length), run.restoreStderr);
          }
          assert.deepEqual(run.files, baseline.files);
        });
      }
    });
  }
});
