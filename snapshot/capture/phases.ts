// Times each phase of a checkpoint as it runs, before and while the program is stopped, into the
// manifest's record of them (format/manifest.ts).
import type { CheckpointTimings } from '../format/manifest';

const round = (ms: number) => Math.round(ms * 10) / 10;

export class PhaseClock {
  private readonly timings: CheckpointTimings = { beforeStop: {}, stopped: {} };
  private last: number;
  /** performance.now() when the program stopped, once it has. */
  private stoppedSince: number | undefined;
  /** Set once the program went on again: later phases are timed apart from its stop. */
  private resumedAt: number | undefined;

  /** `start`: performance.now() when the command began (default: now). */
  constructor(start = performance.now()) {
    this.last = start;
  }

  /** Ends the phase that ran since the last mark (at `at`, a performance.now() time, default now). */
  mark(name: string, at = performance.now()): void {
    this.part[name] = round((this.part[name] ?? 0) + at - this.last);
    this.last = at;
  }

  private get part(): Record<string, number> {
    if (this.resumedAt !== undefined) return (this.timings.afterResume ??= {});
    return this.stoppedSince === undefined ? this.timings.beforeStop : this.timings.stopped;
  }

  /** The program stopped at `at`: the phase up to it is `name`, every later one counts as stopped. */
  stopped(name: string, at = performance.now()): void {
    this.mark(name, at);
    this.stoppedSince = at;
  }

  /** The program was stopped before the clock started (at a breakpoint): every phase counts as stopped. */
  startStopped(): void {
    this.stoppedSince = this.last;
  }

  /** The program went on at `at`: the phase up to it is `name` (still stopped), every later one counts after. */
  resumed(name: string, at = performance.now()): void {
    this.mark(name, at);
    this.resumedAt = at;
  }

  /** Milliseconds the program has been stopped: since it stopped (0 before it has), up to its resume. */
  get stoppedMs(): number {
    return this.stoppedSince === undefined ? 0 : Math.round((this.resumedAt ?? performance.now()) - this.stoppedSince);
  }

  /**
   * Ends a phase that ran code timed on its own (the agent in the target): its `parts` are
   * recorded as they are, and what the phase took besides them as `name`.
   */
  markWithParts(name: string, parts: Record<string, number>): void {
    const now = performance.now();
    const inParts = Object.values(parts).reduce((sum, ms) => sum + ms, 0);
    this.mark(name, now - inParts);
    for (const [part, ms] of Object.entries(parts)) this.part[part] = round((this.part[part] ?? 0) + ms);
    this.last = now;
  }

  get result(): CheckpointTimings {
    return this.timings;
  }
}

/** Sum of a part of the timings. */
export function phasesTotal(phases: Record<string, number>): number {
  return round(Object.values(phases).reduce((sum, ms) => sum + ms, 0));
}
