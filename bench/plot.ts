// The plot: time and size against N, both on log axes, as one SVG (medians, min–max bars).
import type { BenchResults } from './results';
import type { Summary } from './stats';

interface Series {
  name: string;
  color: string;
  dashed?: boolean;
  points: Array<{ n: number; value: Summary }>;
}

const WIDTH = 560;
const HEIGHT = 500;
// The legend sits under the x axis, where it cannot hide a curve.
const M = { left: 70, right: 28, top: 40, bottom: 130 };

function decades(lo: number, hi: number): [number, number] {
  return [Math.floor(Math.log10(lo)), Math.ceil(Math.log10(hi))];
}

function panel(title: string, unit: (v: number) => string, series: Series[], offsetX: number): string {
  const all = series.flatMap((s) => s.points);
  const [x0, x1] = decades(Math.min(...all.map((p) => p.n)), Math.max(...all.map((p) => p.n)));
  const [y0, y1] = decades(
    Math.max(1e-3, Math.min(...all.map((p) => p.value.min))),
    Math.max(...all.map((p) => p.value.max)),
  );
  const px = (n: number) => M.left + ((Math.log10(n) - x0) / (x1 - x0 || 1)) * (WIDTH - M.left - M.right);
  const py = (v: number) => HEIGHT - M.bottom - ((Math.log10(v) - y0) / (y1 - y0 || 1)) * (HEIGHT - M.top - M.bottom);
  const out: string[] = [
    `<g transform="translate(${offsetX},0)">`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-weight="bold">${title}</text>`,
  ];
  for (let d = y0; d <= y1; d++) {
    const y = py(10 ** d);
    out.push(
      `<line x1="${M.left}" x2="${WIDTH - M.right}" y1="${y}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${M.left - 6}" y="${y + 4}" text-anchor="end">${unit(10 ** d)}</text>`,
    );
  }
  for (let d = x0; d <= x1; d++) {
    const x = px(10 ** d);
    out.push(
      `<line x1="${x}" x2="${x}" y1="${M.top}" y2="${HEIGHT - M.bottom}" stroke="#ddd"/>`,
      `<text x="${x}" y="${HEIGHT - M.bottom + 18}" text-anchor="middle">${count(10 ** d)}</text>`,
    );
  }
  out.push(
    `<text x="${(M.left + WIDTH - M.right) / 2}" y="${HEIGHT - M.bottom + 36}" text-anchor="middle">N (objects)</text>`,
  );
  series.forEach((s, i) => {
    const path = s.points
      .map((p, j) => `${j ? 'L' : 'M'}${px(p.n).toFixed(1)},${py(p.value.median).toFixed(1)}`)
      .join(' ');
    out.push(
      `<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    for (const p of s.points) {
      const x = px(p.n);
      out.push(
        `<line x1="${x}" x2="${x}" y1="${py(p.value.min)}" y2="${py(p.value.max)}" stroke="${s.color}"/>`,
        `<circle cx="${x}" cy="${py(p.value.median)}" r="3" fill="${s.color}"/>`,
      );
    }
    const ly = HEIGHT - M.bottom + 56 + i * 16;
    out.push(
      `<line x1="${M.left + 10}" x2="${M.left + 34}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      `<text x="${M.left + 40}" y="${ly + 4}">${s.name}</text>`,
    );
  });
  out.push('</g>');
  return out.join('\n');
}

const count = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));
const time = (v: number) => (v >= 1000 ? `${v / 1000} s` : `${v} ms`);
const bytes = (v: number) =>
  v >= 1 << 30
    ? `${Math.round(v / 1e9)} GB`
    : v >= 1e6
      ? `${Math.round(v / 1e6)} MB`
      : v >= 1e3
        ? `${Math.round(v / 1e3)} KB`
        : `${v} B`;

export function plotSvg(results: BenchResults): string {
  const sizes = results.sizes;
  const line = (name: string, color: string, pick: (s: (typeof sizes)[number]) => Summary, dashed = false): Series => ({
    name,
    color,
    dashed,
    points: sizes.map((s) => ({ n: s.n, value: pick(s) })),
  });
  const timeSeries = [
    line('Ferry checkpoint pause', '#d62728', (s) => s.pauseMs),
    line('v8.serialize (plain part)', '#d62728', (s) => s.v8SerializeMs, true),
    line('Ferry restore', '#1f77b4', (s) => s.restoreMs),
    line(
      'v8.deserialize + node -e 0',
      '#1f77b4',
      (s) => ({
        ...s.v8DeserializeMs,
        median: s.v8DeserializeMs.median + s.bareNodeMs.median,
        min: s.v8DeserializeMs.min + s.bareNodeMs.min,
        max: s.v8DeserializeMs.max + s.bareNodeMs.max,
      }),
      true,
    ),
  ];
  if (!('skipped' in results.migration)) {
    timeSeries.push({
      name: 'migration downtime (warm ssh)',
      color: '#2ca02c',
      points: results.migration.map((m) => ({ n: m.n, value: m.warm.downtimeMs })),
    });
  }
  const sizeSeries = [
    line('checkpoint file', '#d62728', (s) => s.fileBytes),
    line('v8.serialize bytes', '#d62728', (s) => s.v8Bytes, true),
    line('target RSS', '#7f7f7f', (s) => s.rssBytes),
    line('extra RSS during capture', '#9467bd', (s) => s.peakExtraRssBytes),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * WIDTH}" height="${HEIGHT}" font-family="DejaVu Sans, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    panel('Time', time, timeSeries, 0),
    panel('Size', bytes, sizeSeries, WIDTH),
    '</svg>',
  ].join('\n');
}

export const PLOT_SIZE = { width: 2 * WIDTH, height: HEIGHT };
