// From `ferry checkpoint` to the program stopped, once its inspector is open: the CLI itself, run
// on a fresh workload target by its inspector's URL (`--inspect`), `--then continue`, twice (the
// second finds the agent installed). The time is the manifest's phases before the stop, which start
// at the CLI process's own start.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { distDir } from '../snapshot/assets';
import { readCheckpointFile } from '../snapshot/format/checkpoint';
import type { StoredManifest } from '../snapshot/format/manifest';
import { phasesTotal } from '../snapshot/capture/phases';
import { startTarget } from './target';

export interface CommandSample {
  /** `ferry checkpoint` started → the program stopped. */
  toStopMs: number;
  /** Its phases (manifest.timings.beforeStop): node and the CLI starting, attaching, reading scripts... */
  phases: Record<string, number>;
  /** The program stopped → running again. */
  stopMs: number;
}

/** Two checkpoints of one fresh target: the first installs the agent there, the second finds it. */
export async function commandSamples(
  n: number,
  output: string,
): Promise<{ first: CommandSample; again: CommandSample }> {
  const target = await startTarget(n, { session: false });
  try {
    const first = await checkpointByCli(target.launched.webSocketUrl, output);
    return { first, again: await checkpointByCli(target.launched.webSocketUrl, output) };
  } finally {
    await target.close();
  }
}

async function checkpointByCli(inspectorUrl: string, output: string): Promise<CommandSample> {
  const cli = path.join(distDir(), 'cli.js');
  const args = [cli, 'checkpoint', '--inspect', inspectorUrl, '-o', output, '--then', 'continue'];
  await promisify(execFile)(process.execPath, args).catch(
    (error: { code?: number; signal?: string; stderr?: string }) => {
      throw new Error(
        `ferry checkpoint failed (${error.signal ?? `exit ${error.code}`}): ${error.stderr?.trim() || 'no message'}`,
      );
    },
  );
  const { beforeStop, stopped } = readCheckpointFile<StoredManifest>(output).manifest.timings;
  return { toStopMs: phasesTotal(beforeStop), phases: beforeStop, stopMs: phasesTotal(stopped) };
}
