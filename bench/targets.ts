// The issue's targets, checked against the medians; each says by how much it is met or missed.
import type { MigrationResult, SizeResult, TargetCheck } from './results';
import type { CommandResult, ProgramResult } from './programs-result';

const x = (v: number) => `${v.toFixed(2)}×`;

export function checkTargets(sizes: SizeResult[], migration: MigrationResult[] | undefined): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const at = (n: number) => sizes.find((s) => s.n === n);
  for (const s of [at(100_000), at(1_000_000)]) {
    if (!s) continue;
    const r = s.pauseRatio.median;
    checks.push({
      target: `pause ≤ 1.5× v8.serialize at N=${s.n}`,
      met: r <= 1.5,
      detail: `${x(r)} (${ms(s.pauseMs.median)} vs ${ms(s.v8SerializeMs.median)})`,
    });
  }
  for (const s of sizes) {
    const r = s.restoreRatio.median;
    checks.push({
      target: `restore ≤ 1.5× (v8.deserialize + node start) at N=${s.n}`,
      met: r <= 1.5,
      detail: `${x(r)} (${ms(s.restoreMs.median)} vs ${ms(s.v8DeserializeMs.median)} + ${ms(s.bareNodeMs.median)})`,
    });
  }
  for (const s of sizes.filter((s) => s.n < 10_000)) {
    checks.push({
      target: `pause < 100 ms for a small program (N=${s.n})`,
      met: s.pauseMs.max < 100,
      detail: `median ${ms(s.pauseMs.median)}, max ${ms(s.pauseMs.max)}`,
    });
  }
  for (const m of (migration ?? []).filter((m) => m.n < 10_000)) {
    checks.push({
      target: `warm migration downtime < 500 ms (N=${m.n})`,
      met: m.warm.downtimeMs.max < 500,
      detail: `median ${ms(m.warm.downtimeMs.median)}, max ${ms(m.warm.downtimeMs.max)}`,
    });
  }
  for (const s of sizes) {
    const r = s.sizeRatio.median;
    checks.push({ target: `file ≤ 1.2× v8.serialize bytes at N=${s.n}`, met: r <= 1.2, detail: x(r) });
  }
  const [small, large] = [at(100_000), at(1_000_000)];
  if (small && large) {
    // Per-object cost from 100k to 1M; "no step up" taken as at most 25% more per object.
    for (const [name, pick] of [
      ['pause', (s: SizeResult) => s.pauseMs.median],
      ['restore', (s: SizeResult) => s.restoreMs.median],
      ['file size', (s: SizeResult) => s.fileBytes.median],
    ] as const) {
      const growth = pick(large) / large.n / (pick(small) / small.n);
      checks.push({
        target: `${name} linear in N (per-object cost at 1M ≤ 1.25× that at 100k)`,
        met: growth <= 1.25,
        detail: x(growth),
      });
    }
  }
  for (const s of sizes) {
    const r = s.memoryRatio.median;
    checks.push({
      target: `extra target memory during capture < 1.5× heap in use at N=${s.n}`,
      met: r < 1.5,
      detail: `${x(r)} (${mb(s.peakExtraRssBytes.median)} extra, ${mb(s.heapUsedBytes.median)} heap used)`,
    });
  }
  return checks;
}

/** The real programs' targets: each one's stop, its restore against a bare node, the CLI to the stop. */
export function programTargets(programs: ProgramResult[], command: CommandResult): TargetCheck[] {
  const checks: TargetCheck[] = programs.flatMap((p) => [
    {
      target: `stop < 100 ms: ${p.name}`,
      met: p.stopMs.median < 100,
      detail: `${ms(p.stopMs.median)}${p.heapSnapshotFor ? ` (heap snapshot ${ms(p.heapSnapshotMs.median)}: ${p.heapSnapshotFor})` : ''}`,
    },
    {
      target: `restore running ≤ 1.3× a bare node's first output: ${p.name}`,
      met: p.restoreRatio.median <= 1.3,
      detail: `${x(p.restoreRatio.median)} (${ms(p.restoreMs.median)} vs ${ms(p.bareNodeMs.median)})`,
    },
  ]);
  for (const [label, part] of [
    ['first', command.first],
    ['again', command.again],
  ] as const)
    checks.push({
      target: `ferry checkpoint → program stopped < 150 ms, inspector open (${label})`,
      met: part.toStopMs.median < 150,
      detail: `median ${ms(part.toStopMs.median)}, max ${ms(part.toStopMs.max)}`,
    });
  return checks;
}

export function ms(v: number): string {
  return v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : v >= 100 ? `${Math.round(v)} ms` : `${v.toFixed(1)} ms`;
}

export function mb(v: number): string {
  return v >= 1 << 20 ? `${(v / (1 << 20)).toFixed(1)} MB` : `${(v / 1024).toFixed(0)} KB`;
}
