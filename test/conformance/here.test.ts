// The fidelity oracle for Checkpoint Here, through the `ferry` CLI as a user runs it: for every
// `// @bp HITS` marker of the resume corpus (test/resume/corpus, and here-corpus/), `ferry run --checkpoint-at
// FILE:LINE#HIT --then stop`, delete the program, `node restore.js` the checkpoint, and compare
// what both halves printed (and the exit code, and the files left) with one uninterrupted run.
// A marker with `@to LINE` (or `@to idle`) cannot be resumed where it stops: Ferry must say it
// stepped the program on, and to that line (or its next idle point); one without must not step.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { filesIn, restore, runCli, runUninterrupted, stage } from '../helpers/oracle';
import { pausePointsOf } from '../resume/harness/oracle';

// The resume engine's corpus, and programs only the whole core can resume (concurrent async work).
const corpora = [join(__dirname, '../resume/corpus'), join(__dirname, 'here-corpus')];
const programs = corpora.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => /\.m?js$/.test(f))
    .sort()
    .map((file) => ({ file, program: join(dir, file) })),
);

/** The `@to LINE` or `@to idle` of a marker's line: where the nearest point Ferry can resume is. */
function nearestPointOf(program: string, line: number): string | undefined {
  return /@to (\d+|idle)/.exec(readFileSync(program, 'utf8').split('\n')[line - 1])?.[1];
}

function assertTakenAt(stderr: string, expected: string | undefined, point: string): void {
  const stepped = /stepped on \d+ time\(s\) to (?:its next (idle) point|\S+:(\d+)),/.exec(stderr);
  assert.equal(stepped?.[1] ?? stepped?.[2], expected, `${point}: where the checkpoint was taken\n${stderr}`);
}

describe('Checkpoint Here: fidelity oracle over the resume corpus', { concurrency: 2 }, () => {
  for (const { file, program } of programs) {
    const points = pausePointsOf(readFileSync(program, 'utf8'));
    if (points.length === 0) continue;
    // A bound, so that a hang fails the test instead of holding up the whole run.
    it(`${file} (${points.map((p) => `${p.line}#${p.hit}`).join(', ')})`, { timeout: 240_000 }, async () => {
      const expected = await runUninterrupted(program);
      for (const point of points) {
        const { dir, script } = stage(program);
        const checkpoint = join(dir, '..', `${basename(dir)}.ferry`);
        try {
          const origin = await runCli(
            [
              'run',
              '--checkpoint-at',
              `${basename(script)}:${point.line}#${point.hit}`,
              '-o',
              checkpoint,
              '--',
              basename(script),
            ],
            dir,
          );
          assert.equal(origin.code, 0, `ferry run at ${point.line}#${point.hit} failed:\n${origin.stderr}`);
          assertTakenAt(origin.stderr, nearestPointOf(program, point.line), `${point.line}#${point.hit}`);
          // The restore must not need the program's files (its script, and its modules' directory).
          rmSync(script);
          rmSync(script.replace(/\.(c?js|mjs)$/, ''), { recursive: true, force: true });
          const restored = await restore(checkpoint, dir);
          assert.equal(
            origin.stdout + restored.stdout,
            expected.stdout,
            `${file} at ${point.line}#${point.hit}: output differs\n${restored.stderr}`,
          );
          assert.equal(
            restored.code,
            expected.code,
            `${file} at ${point.line}#${point.hit}: exit code\n${restored.stderr}`,
          );
          assert.deepEqual(filesIn(dir), expected.files);
        } finally {
          rmSync(dir, { recursive: true, force: true });
          rmSync(checkpoint, { force: true });
        }
      }
    });
  }
});

describe('Checkpoint Here: --exact keeps the refusal where the program stopped', () => {
  it('refuses at a caller that evaluated part of its statement, and the program runs on to its end', async () => {
    const program = join(corpora[1], 'nearest-point.js');
    const expected = await runUninterrupted(program);
    const { dir, script } = stage(program);
    try {
      const origin = await runCli(
        [
          'run',
          '--checkpoint-at',
          `${basename(script)}:38`,
          '--exact',
          '-o',
          join(dir, 'x.ferry'),
          '--',
          basename(script),
        ],
        dir,
      );
      assert.match(origin.stderr, /was evaluated before the pending `second\(n\)` and cannot be evaluated again/);
      assert.match(origin.stderr, /no checkpoint was written at .*nearest-point\.js:38; the program goes on/);
      assert.doesNotMatch(origin.stderr, /stepped on/);
      assert.equal(origin.stdout, expected.stdout);
      assert.equal(origin.code, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Checkpoint Here: no step where a step would end the program', () => {
  it('refuses inside an async generator without stepping out of it, and the program runs on to its end', async () => {
    const program = join(corpora[1], 'async-generator-refused.js');
    const expected = await runUninterrupted(program);
    const { dir, script } = stage(program);
    try {
      const at = `${basename(script)}:8#2`;
      const origin = await runCli(
        ['run', '--checkpoint-at', at, '-o', join(dir, 'x.ferry'), '--', basename(script)],
        dir,
      );
      assert.match(origin.stderr, /an async generator function on the stack is not carried yet/);
      assert.match(
        origin.stderr,
        /no checkpoint was written at .*async-generator-refused\.js:8 \(hit 2\); the program goes on/,
      );
      assert.doesNotMatch(origin.stderr, /stepping on|stepped on/);
      assert.equal(origin.stdout, expected.stdout);
      assert.equal(origin.code, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
