// One checkpoint of a fresh target, `--then continue`: how long the program was frozen, where
// that time went, the file size, and how much memory the target needed on top of its own.
import { writeCheckpoint } from '../snapshot/checkpoint';
import { readMemory, resetPeak } from './proc';
import { evaluate, type Target } from './target';

export interface CheckpointSample {
  /** Target frozen (at our idle point, as its pause is reported) → target running again. */
  pauseMs: number;
  /** The phases of that time as the manifest records them (manifest.timings.stopped). */
  phases: Record<string, number>;
  fileBytes: number;
  heapObjects: number;
  rssBytes: number;
  heapUsedBytes: number;
  /** Peak RSS during the checkpoint minus RSS just before it. */
  peakExtraRssBytes: number;
}

export async function checkpointSample(target: Target, output: string): Promise<CheckpointSample> {
  const session = target.session!;
  const { heapUsed } = await evaluate<{ heapUsed: number }>(session, 'process.memoryUsage()');
  const before = readMemory(target.pid);
  resetPeak(target.pid);
  // As `--then continue`: the target goes on once its state is read, before the file is written.
  const result = await writeCheckpoint(session, { at: 'idle', output, resumeWhenRead: true });
  const peak = readMemory(target.pid).peakRssBytes;
  return {
    pauseMs: result.pauseMs,
    phases: result.manifest.timings.stopped,
    fileBytes: result.bytes,
    heapObjects: result.manifest.heap.objects,
    rssBytes: before.rssBytes,
    heapUsedBytes: heapUsed,
    peakExtraRssBytes: peak - before.rssBytes,
  };
}
