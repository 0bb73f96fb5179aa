// Real programs: each program of the library corpus (test/conformance/libraries/, real npm
// libraries) checkpointed where its header says (`// ferry-lines: N,...`, the first point), as the
// oracle does: stopped at once after N lines of output, then taken at the next idle point and let go
// (`--then continue`). Then restored from the file alone: how long the program was stopped, where
// that went, and how long a restore takes to run the program again against a bare `node` start.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { writeCheckpoint } from '../snapshot/checkpoint';
import { openTargetSession } from '../snapshot/capture/target-session';
import { phasesTotal } from '../snapshot/capture/phases';
import { launchWithInspector } from '../snapshot/target/launch';
import { restoreRuntimePath } from '../snapshot/assets';
import { linesPrinted, stage, stopAtOnce } from '../test/helpers/oracle';
import { restoreSample } from './restore-sample';

export const LIBRARY_CORPUS = path.join(__dirname, '..', 'test', 'conformance', 'libraries');

export interface ProgramSample {
  /** Program stopped → running again. */
  stopMs: number;
  /** Its phases (manifest.timings.stopped). */
  phases: Record<string, number>;
  objects: number;
  functions: number;
  fileBytes: number;
  /** `node dist/restore.js FILE` started → the program runs again ("resumed"). */
  restoreMs: number;
  /** The same → the restored program's first byte of output (its own timers may come first). */
  firstOutputMs: number;
}

/** The programs of the library corpus that are checkpointed (not the ones that must be refused). */
export function libraryPrograms(): string[] {
  return readdirSync(LIBRARY_CORPUS)
    .filter((name) => /\.(c?js|mjs)$/.test(name))
    .filter((name) => !/^\/\/ ferry-refuse:/m.test(readFileSync(path.join(LIBRARY_CORPUS, name), 'utf8')))
    .sort();
}

function firstCheckpointLine(program: string): number {
  return Number(/^\/\/ ferry-lines: (\d+)/m.exec(readFileSync(program, 'utf8'))?.[1] ?? 1);
}

/** Checkpoints one fresh run of `name` and restores it once. */
export async function programSample(name: string, statusFile: string): Promise<ProgramSample> {
  const program = path.join(LIBRARY_CORPUS, name);
  const { dir, script } = stage(program);
  const file = path.join(dir, '..', `${path.basename(dir)}.ferry`);
  try {
    const checkpoint = await checkpointProgram(script, dir, file, firstCheckpointLine(program));
    const restoreMs = await restoreSample(file, statusFile);
    return { ...checkpoint, restoreMs, firstOutputMs: await firstOutput(file, dir) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(file, { force: true });
  }
}

async function checkpointProgram(
  script: string,
  cwd: string,
  output: string,
  lines: number,
): Promise<Omit<ProgramSample, 'restoreMs' | 'firstOutputMs'>> {
  const launched = await launchWithInspector({ program: script, cwd, stdio: 'pipe', breakOnStart: true });
  try {
    const printed = linesPrinted(launched.child, lines);
    const session = await openTargetSession(launched.webSocketUrl, { startedWithBreak: true });
    try {
      await printed;
      const pausedCallFrames = await stopAtOnce(session.cdp);
      const result = await writeCheckpoint(session, {
        at: 'idle',
        output,
        pausedCallFrames,
        stoppedAt: Date.now(),
        resumeWhenRead: true,
      });
      const { stopped } = result.manifest.timings;
      return {
        stopMs: phasesTotal(stopped),
        phases: stopped,
        objects: result.manifest.heap.objects,
        functions: result.manifest.heap.functions,
        fileBytes: result.bytes,
      };
    } finally {
      await session.cdp.close();
    }
  } finally {
    launched.child.kill('SIGKILL');
  }
}

/** `node dist/restore.js FILE` started → its first byte on stdout (or its end). */
function firstOutput(checkpoint: string, cwd: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [restoreRuntimePath(), checkpoint], {
    cwd,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    const done = () => {
      resolve(performance.now() - started);
      child.kill('SIGKILL');
    };
    child.stdout.once('data', done);
    child.once('exit', done);
    child.once('error', reject);
  });
}

/** A bare `node` writing one byte: started → that byte. */
export function bareNodeOutput(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', "process.stdout.write('x')"], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve(performance.now() - started));
    child.once('error', reject);
  });
}

/** The part of a stop that is not the agent's walk (the fixed cost): everything but `walk` and `encode`. */
export function fixedPartMs(sample: ProgramSample): number {
  return phasesTotal(sample.phases) - (sample.phases.walk ?? 0) - (sample.phases.encode ?? 0);
}
