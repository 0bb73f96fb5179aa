// The real-program results: each library corpus program's stop and restore, summarised over its
// runs, and the CLI's time from its start to the program stopped.
import { summarize, type Summary } from './stats';
import type { ProgramSample } from './programs-sample';
import type { CommandSample } from './command-sample';

export interface ProgramResult {
  name: string;
  objects: number;
  functions: number;
  stopMs: Summary;
  /** The part of the stop spent in V8's heap snapshot, and what needed it (none: not taken). */
  heapSnapshotMs: Summary;
  heapSnapshotFor?: string;
  /** The rest of the stop besides the walk and the snapshot: Ferry's fixed cost for this program. */
  otherMs: Summary;
  walkMs: Summary;
  restoreMs: Summary;
  firstOutputMs: Summary;
  /** A bare `node` started → its first byte of output, measured beside each restore. */
  bareNodeMs: Summary;
  /** Per run: restore (running again) / bare node's first output. */
  restoreRatio: Summary;
  samples: ProgramSample[];
}

export interface CommandResult {
  n: number;
  first: { toStopMs: Summary; stopMs: Summary; phases: Record<string, Summary> };
  again: { toStopMs: Summary; stopMs: Summary; phases: Record<string, Summary> };
}

const SNAPSHOT_PHASE = /^heap snapshot \((.*)\)$/;

export function programResult(name: string, runs: Array<{ sample: ProgramSample; bareNodeMs: number }>): ProgramResult {
  const of = (pick: (run: { sample: ProgramSample; bareNodeMs: number }) => number) => summarize(runs.map(pick));
  const snapshotMs = (s: ProgramSample) =>
    Object.entries(s.phases).reduce((sum, [phase, ms]) => (SNAPSHOT_PHASE.test(phase) ? sum + ms : sum), 0);
  const why = runs
    .flatMap(({ sample }) => Object.keys(sample.phases))
    .map((phase) => SNAPSHOT_PHASE.exec(phase)?.[1])
    .find(Boolean);
  return {
    name,
    objects: runs[0].sample.objects,
    functions: runs[0].sample.functions,
    stopMs: of((r) => r.sample.stopMs),
    heapSnapshotMs: of((r) => snapshotMs(r.sample)),
    heapSnapshotFor: why,
    walkMs: of((r) => r.sample.phases.walk ?? 0),
    otherMs: of((r) => r.sample.stopMs - snapshotMs(r.sample) - (r.sample.phases.walk ?? 0)),
    restoreMs: of((r) => r.sample.restoreMs),
    firstOutputMs: of((r) => r.sample.firstOutputMs),
    bareNodeMs: of((r) => r.bareNodeMs),
    restoreRatio: of((r) => r.sample.restoreMs / r.bareNodeMs),
    samples: runs.map((r) => r.sample),
  };
}

export function commandResult(n: number, runs: Array<{ first: CommandSample; again: CommandSample }>): CommandResult {
  const part = (samples: CommandSample[]) => ({
    toStopMs: summarize(samples.map((s) => s.toStopMs)),
    stopMs: summarize(samples.map((s) => s.stopMs)),
    phases: Object.fromEntries(
      [...new Set(samples.flatMap((s) => Object.keys(s.phases)))].map((phase) => [
        phase,
        summarize(samples.map((s) => s.phases[phase] ?? 0)),
      ]),
    ),
  });
  return { n, first: part(runs.map((r) => r.first)), again: part(runs.map((r) => r.again)) };
}
