// The fidelity oracle: output before the pause + output of the restored run must equal one
// uninterrupted run, byte for byte.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { captureRun, type PausePoint, type PauseCapture, type RunCapture } from './capture';
import { buildRestoreProgram } from './restore-program';

export interface PauseVerdict {
  point: PausePoint;
  ok: boolean;
  detail: string;
}

/** `// @bp 1 3 200` on a line: pause there on those hits (1-based). */
export function pausePointsOf(source: string): PausePoint[] {
  const points: PausePoint[] = [];
  source.split('\n').forEach((text, i) => {
    const m = /\/\/ @bp((?: \d+)+)/.exec(text);
    if (m) for (const hit of m[1].trim().split(' ')) points.push({ line: i + 1, hit: Number(hit) });
  });
  return points;
}

export async function checkProgram(program: string): Promise<{ run: RunCapture; verdicts: PauseVerdict[] }> {
  const source = readFileSync(program, 'utf8');
  const points = pausePointsOf(source);
  const run = await captureRun(program, source, points);
  const verdicts = run.pauses.map((pause) => checkPause(program, source, run, pause));
  for (const p of points) {
    if (!run.pauses.some((q) => q.point.line === p.line && q.point.hit === p.hit))
      verdicts.push({ point: p, ok: false, detail: 'the breakpoint was never hit that often' });
  }
  return { run, verdicts };
}

function checkPause(program: string, source: string, run: RunCapture, pause: PauseCapture): PauseVerdict {
  const refused = pause.frames.find((f) => f.refusal);
  if (refused) return { point: pause.point, ok: false, detail: `refused: ${refused.refusal!.message}` };
  const code = buildRestoreProgram(pause, source);
  // Next to the program, so its relative requires resolve as in the original.
  const dir = mkdtempSync(join(tmpdir(), 'ferry-resume-'));
  const file = join(
    dirname(program),
    `.restore-${basename(program, '.js')}-${pause.point.line}-${pause.point.hit}-${process.pid}.js`,
  );
  try {
    writeFileSync(file, code);
    const r = spawnSync(process.execPath, [file], { cwd: dirname(program), timeout: 15_000 });
    const got = Buffer.concat([run.stdout.subarray(0, pause.stdoutBytes), r.stdout]);
    if (got.equals(run.stdout) && r.status === run.exitCode) {
      rmSync(file);
      return { point: pause.point, ok: true, detail: '' };
    }
    writeFileSync(join(dir, 'restore.js'), code);
    return {
      point: pause.point,
      ok: false,
      detail: `output differs (exit ${r.status} vs ${run.exitCode}); restore program kept at ${join(dir, 'restore.js')}\n--- expected after pause:\n${run.stdout.subarray(pause.stdoutBytes).toString().slice(0, 800)}\n--- got:\n${r.stdout.toString().slice(0, 800)}\n--- stderr:\n${r.stderr.toString().slice(0, 1500)}`,
    };
  } finally {
    rmSync(file, { force: true });
  }
}
