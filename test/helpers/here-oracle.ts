// The fidelity oracle for Checkpoint Here, through the `ferry` CLI as a user runs it: for every
// `// @bp HITS` marker of a program, `ferry run --checkpoint-at FILE:LINE#HIT --then stop`, delete
// the program, restore the checkpoint, and compare what both halves printed (and the exit code,
// and the files left) with one uninterrupted run. A marker with `@to LINE` (or `@to idle`) cannot
// be resumed where it stops: Ferry must say it stepped the program on, and to that line (or its
// next idle point); one without must not step. Used by here.test.ts (the corpus on this Node) and
// node-versions.test.ts (programs of it on other versions).
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { filesIn, restore, runCli, runUninterrupted, stage, PROGRAM_NODE } from './oracle';
import { pausePointsOf } from '../resume/harness/oracle';

/** The pause points a program's markers name, as `LINE#HIT`. */
export function herePointsOf(program: string): string[] {
  return pausePointsOf(readFileSync(program, 'utf8')).map((p) => `${p.line}#${p.hit}`);
}

/** The `@to LINE` or `@to idle` of a marker's line: where the nearest point Ferry can resume is. */
function nearestPointOf(program: string, line: number): string | undefined {
  return /@to (\d+|idle)/.exec(readFileSync(program, 'utf8').split('\n')[line - 1])?.[1];
}

function assertTakenAt(stderr: string, expected: string | undefined, point: string): void {
  const stepped = /stepped on \d+ time\(s\) to (?:its next (idle) point|\S+:(\d+)),/.exec(stderr);
  assert.equal(stepped?.[1] ?? stepped?.[2], expected, `${point}: where the checkpoint was taken\n${stderr}`);
}

/** Checkpoints the program at each of its markers and restores it, all on `node`; each must give one uninterrupted run's output. */
export async function assertSameAtEachPoint(program: string, node = PROGRAM_NODE): Promise<void> {
  const file = basename(program);
  const expected = await runUninterrupted(program, node);
  for (const point of herePointsOf(program)) {
    const { dir, script } = stage(program);
    const checkpoint = join(dir, '..', `${basename(dir)}.ferry`);
    try {
      const taken = [
        'run',
        '--checkpoint-at',
        `${basename(script)}:${point}`,
        '-o',
        checkpoint,
        '--',
        basename(script),
      ];
      const origin = await runCli(taken, dir, node);
      assert.equal(origin.code, 0, `ferry run at ${point} failed:\n${origin.stderr}`);
      assertTakenAt(origin.stderr, nearestPointOf(program, Number(point.split('#')[0])), point);
      // The restore must not need the program's files (its script, and its modules' directory).
      rmSync(script);
      rmSync(script.replace(/\.(c?js|mjs)$/, ''), { recursive: true, force: true });
      const restored = await restore(checkpoint, dir, node);
      assert.equal(
        origin.stdout + restored.stdout,
        expected.stdout,
        `${file} at ${point}: output differs\n${restored.stderr}`,
      );
      assert.equal(restored.code, expected.code, `${file} at ${point}: exit code\n${restored.stderr}`);
      assert.deepEqual(filesIn(dir), expected.files);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(checkpoint, { force: true });
    }
  }
}
