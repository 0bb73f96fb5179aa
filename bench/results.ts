// The result file's shape (bench/out/results.json) and how raw samples become it.
import { summarize, type Summary } from './stats';
import type { CheckpointSample } from './checkpoint-sample';
import type { MigrationSample } from './migration-sample';
import type { V8Sample } from './v8-sample';
import type { CommandResult, ProgramResult } from './programs-result';

/** Everything measured on one fresh target, side by side. */
export interface RunSample {
  checkpoint: CheckpointSample;
  v8: V8Sample;
  restoreMs: number;
  bareNodeMs: number;
}

export interface SizeResult {
  n: number;
  heapObjects: Summary;
  pauseMs: Summary;
  /** Each phase of the pause, as the manifest records them. */
  phasesMs: Record<string, Summary>;
  /** Per run: the pause less the agent's walk and encode and the heap read. */
  otherCaptureMs: Summary;
  v8SerializeMs: Summary;
  /** Per run: pause / v8.serialize. The headline. */
  pauseRatio: Summary;
  fileBytes: Summary;
  v8Bytes: Summary;
  rssBytes: Summary;
  heapUsedBytes: Summary;
  /** Per run: file bytes / v8.serialize bytes. */
  sizeRatio: Summary;
  restoreMs: Summary;
  v8DeserializeMs: Summary;
  bareNodeMs: Summary;
  /** Per run: restore / (v8.deserialize + bare node start). */
  restoreRatio: Summary;
  peakExtraRssBytes: Summary;
  v8PeakExtraRssBytes: Summary;
  /** Per run: checkpoint's peak extra RSS / heap in use before it. */
  memoryRatio: Summary;
  /** The raw samples behind the summaries. */
  samples: RunSample[];
}

export interface MigrationResult {
  n: number;
  cold: Record<keyof MigrationSample, Summary>;
  warm: Record<keyof MigrationSample, Summary>;
}

export interface BenchResults {
  createdAt: string;
  quick: boolean;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryBytes: number;
    node: string;
    platform: string;
    kernel: string;
    loadAverageAtStart: number[];
    loadAverageAtEnd: number[];
  };
  commit: string;
  /** Files of the tree that differed from the commit when the bench ran (it builds the working tree). */
  dirty: string[];
  sizes: SizeResult[];
  migration: MigrationResult[] | { skipped: string };
  /** The library corpus's programs, each stopped and restored. */
  programs: ProgramResult[];
  /** `ferry checkpoint` started → the program stopped, twice on one target. */
  command: CommandResult;
  targets: TargetCheck[];
  durationMs: number;
}

export interface TargetCheck {
  target: string;
  met: boolean;
  detail: string;
}

export function sizeResult(n: number, runs: RunSample[]): SizeResult {
  const of = (pick: (run: RunSample) => number) => summarize(runs.map(pick));
  const phaseNames = [...new Set(runs.flatMap((run) => Object.keys(run.checkpoint.phases)))];
  return {
    n,
    heapObjects: of((r) => r.checkpoint.heapObjects),
    pauseMs: of((r) => r.checkpoint.pauseMs),
    phasesMs: Object.fromEntries(phaseNames.map((name) => [name, of((r) => r.checkpoint.phases[name] ?? 0)])),
    otherCaptureMs: of(
      (r) =>
        r.checkpoint.pauseMs -
        (r.checkpoint.phases.walk ?? 0) -
        (r.checkpoint.phases.encode ?? 0) -
        (r.checkpoint.phases['heap read'] ?? 0),
    ),
    v8SerializeMs: of((r) => r.v8.serializeMs),
    pauseRatio: of((r) => r.checkpoint.pauseMs / r.v8.serializeMs),
    fileBytes: of((r) => r.checkpoint.fileBytes),
    v8Bytes: of((r) => r.v8.bytes),
    rssBytes: of((r) => r.checkpoint.rssBytes),
    heapUsedBytes: of((r) => r.checkpoint.heapUsedBytes),
    sizeRatio: of((r) => r.checkpoint.fileBytes / r.v8.bytes),
    restoreMs: of((r) => r.restoreMs),
    v8DeserializeMs: of((r) => r.v8.deserializeMs),
    bareNodeMs: of((r) => r.bareNodeMs),
    restoreRatio: of((r) => r.restoreMs / (r.v8.deserializeMs + r.bareNodeMs)),
    peakExtraRssBytes: of((r) => r.checkpoint.peakExtraRssBytes),
    v8PeakExtraRssBytes: of((r) => r.v8.peakExtraRssBytes),
    memoryRatio: of((r) => r.checkpoint.peakExtraRssBytes / r.checkpoint.heapUsedBytes),
    samples: runs,
  };
}

export function migrationResult(n: number, cold: MigrationSample[], warm: MigrationSample[]): MigrationResult {
  const all = (samples: MigrationSample[]) => ({
    downtimeMs: summarize(samples.map((s) => s.downtimeMs)),
    captureMs: summarize(samples.map((s) => s.captureMs)),
    commandMs: summarize(samples.map((s) => s.commandMs)),
  });
  return { n, cold: all(cold), warm: all(warm) };
}
