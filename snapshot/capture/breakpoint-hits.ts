// In the target: the condition of the breakpoint `ferry run --checkpoint-at FILE:LINE#HIT` stops at.
// The program counts the hits itself and stops at the wanted one only: a stop at each hit before it
// would hold the program up for Ferry's round trip, which a loaded machine stretches to 100 ms and
// more, and reorder its timers against a run never stopped. It also notes the wall-clock instant it
// stopped at, from which its timers' clock stands still (CaptureOptions.stoppedAt).

/** The breakpoint's condition: true at the `wanted`-th hit, whose instant it notes under `key`. */
export function countBreakpointHit(key: string, wanted: number): boolean {
  const global = globalThis as unknown as Record<symbol, { hits: number; stoppedAt?: number } | undefined>;
  const state = (global[Symbol.for(key)] ??= { hits: 0 });
  if (++state.hits !== wanted) return false;
  state.stoppedAt = Date.now();
  return true;
}

/** Once stopped: the instant noted, with the count taken out of the program's global object. */
export function takeStopInstant(key: string): number | undefined {
  const global = globalThis as unknown as Record<symbol, { stoppedAt?: number } | undefined>;
  const stoppedAt = global[Symbol.for(key)]?.stoppedAt;
  delete global[Symbol.for(key)];
  return stoppedAt;
}
