// The Markdown tables of a result: what `npm run bench` prints and BENCHMARKS.md shows.
import type { Summary } from './stats';
import type { BenchResults, SizeResult } from './results';
import { mb, ms } from './targets';
import { programTables } from './programs-table';

export const spread = (s: Summary, f: (v: number) => string) =>
  s.runs > 1 ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : f(s.median);
export const t = (s: Summary) => spread(s, ms);
const b = (s: Summary) => spread(s, mb);
export const r = (s: Summary) => spread(s, (v) => `${v.toFixed(2)}×`);
export const count = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));

export function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

const phase = (s: SizeResult, name: string) => (s.phasesMs[name] ? t(s.phasesMs[name]) : '–');

export function resultTables(results: BenchResults): string {
  const sizes = results.sizes;
  const parts = [
    `Medians (min–max) over ${sizes.map((s) => `${s.pauseMs.runs} runs at N=${count(s.n)}`).join(', ')}; a fresh target per run.`,
    '',
    '**Checkpoint pause** (target frozen → running again, `--then continue`) against `v8.serialize` of the same plain data in the same target',
    '',
    table(
      [
        'N',
        'records',
        'pause',
        'agent walk',
        'agent encode',
        'heap read',
        'other',
        'v8.serialize',
        'pause / v8.serialize',
      ],
      sizes.map((s) => [
        count(s.n),
        count(s.heapObjects.median),
        t(s.pauseMs),
        phase(s, 'walk'),
        phase(s, 'encode'),
        phase(s, 'heap read'),
        t(s.otherCaptureMs),
        t(s.v8SerializeMs),
        r(s.pauseRatio),
      ]),
    ),
    '',
    '**Size and memory**',
    '',
    table(
      [
        'N',
        'file',
        'v8.serialize',
        'file / v8',
        'target RSS',
        'heap used',
        'extra RSS in capture',
        'extra / heap used',
        'extra RSS in v8.serialize',
      ],
      sizes.map((s) => [
        count(s.n),
        b(s.fileBytes),
        b(s.v8Bytes),
        r(s.sizeRatio),
        b(s.rssBytes),
        b(s.heapUsedBytes),
        b(s.peakExtraRssBytes),
        r(s.memoryRatio),
        b(s.v8PeakExtraRssBytes),
      ]),
    ),
    '',
    '**Restore** (`node dist/restore.js` started → "resumed") against `v8.deserialize` plus a bare `node -e 0`',
    '',
    table(
      ['N', 'restore', 'v8.deserialize', 'node -e 0', 'restore / (deserialize + node)'],
      sizes.map((s) => [count(s.n), t(s.restoreMs), t(s.v8DeserializeMs), t(s.bareNodeMs), r(s.restoreRatio)]),
    ),
    '',
  ];
  parts.push(...migrationTable(results));
  parts.push(
    ...programTables(results),
    '**Targets**',
    '',
    table(
      ['target', 'met', 'measured'],
      results.targets.map((c) => [c.target, c.met ? 'yes' : '**no**', c.detail]),
    ),
    '',
  );
  return parts.join('\n');
}

/** The migration table, or why there is none. */
function migrationTable(results: BenchResults): string[] {
  if ('skipped' in results.migration) return [`**Migration**: not measured: ${results.migration.skipped}`, ''];
  return [
    '**Migration** to the loopback sshd (`migrate`: origin frozen → remote resumed)',
    '',
    table(
      ['N', 'downtime cold', 'downtime warm', 'of which capture (warm)', 'whole command cold', 'whole command warm'],
      results.migration.map((m) => [
        count(m.n),
        t(m.cold.downtimeMs),
        t(m.warm.downtimeMs),
        t(m.warm.captureMs),
        t(m.cold.commandMs),
        t(m.warm.commandMs),
      ]),
    ),
    '',
  ];
}
