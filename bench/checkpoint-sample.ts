// One checkpoint of a fresh target, `--then continue`: how long the program was frozen, where
// that time went, the file size, and how much memory the target needed on top of its own.
import { resumeTarget, writeCheckpoint } from '../snapshot/checkpoint';
import { readMemory, resetPeak } from './proc';
import { evaluate, type Target } from './target';

export interface CheckpointSample {
  /** Target frozen (at our idle point) → target running again. */
  pauseMs: number;
  /** The agent's own phases inside the target (manifest.timings): registry, walk, encode+write, total. */
  agent: Record<string, number>;
  /** Capture outside the agent: evaluate round trip, reading the heap file and sources, the manifest. */
  captureOutsideAgentMs: number;
  /** Writing the .ferry file (fsync), reading it back to verify, and the resume round trip. */
  writeVerifyResumeMs: number;
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
  const started = performance.now();
  const result = await writeCheckpoint(session, { at: 'idle', output });
  await resumeTarget(session);
  const ended = performance.now();
  const peak = readMemory(target.pid).peakRssBytes;
  const { pauseToAgentMs, captureMs, ...agent } = result.manifest.timings as Record<string, number>;
  // writeCheckpoint starts before the target is frozen: it first schedules our idle point and waits for it.
  const pauseMs = ended - started - pauseToAgentMs;
  const frozenCaptureMs = captureMs - pauseToAgentMs;
  return {
    pauseMs,
    agent,
    captureOutsideAgentMs: frozenCaptureMs - (agent.total ?? 0),
    writeVerifyResumeMs: pauseMs - frozenCaptureMs,
    fileBytes: result.bytes,
    heapObjects: result.manifest.heap.objects,
    rssBytes: before.rssBytes,
    heapUsedBytes: heapUsed,
    peakExtraRssBytes: peak - before.rssBytes,
  };
}
