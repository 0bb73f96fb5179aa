// What one `npm run bench` measures: sizes and repeats. BENCH_QUICK=1 is a smoke run of the same code.
export interface BenchConfig {
  quick: boolean;
  /** Object counts of the workload (bench/workload/program.js). */
  sizes: number[];
  /** Fresh targets per size (each gives one checkpoint, one v8.serialize, one restore sample). */
  repeats(n: number): number;
  /** Sizes migrated over the loopback sshd, and runs per size for each of cold and warm. */
  migrationSizes: number[];
  migrationRepeats: number;
  /** Fresh runs of each library corpus program. */
  programRepeats: number;
  /** The workload's N for `ferry checkpoint` from its start to the stop, and how many targets. */
  commandN: number;
  commandRepeats: number;
}

export function benchConfig(env: NodeJS.ProcessEnv): BenchConfig {
  const quick = env.BENCH_QUICK === '1';
  if (quick)
    return {
      quick,
      sizes: [1_000, 10_000],
      repeats: () => 2,
      migrationSizes: [1_000],
      migrationRepeats: 1,
      programRepeats: 1,
      commandN: 1_000,
      commandRepeats: 2,
    };
  // A 1M-object run takes tens of seconds: fewer repeats there keep the whole run near 10 minutes.
  return {
    quick,
    sizes: [1_000, 10_000, 100_000, 1_000_000],
    repeats: (n) => (n >= 1_000_000 ? 3 : 5),
    migrationSizes: [1_000, 10_000, 100_000],
    migrationRepeats: 3,
    programRepeats: 3,
    commandN: 1_000,
    commandRepeats: 5,
  };
}
