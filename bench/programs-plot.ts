// The real-program chart: each library corpus program's stop (median), as a bar split into the
// walk, V8's heap snapshot and the rest, against the 100 ms target. One SVG, no plotting library.
import type { ProgramResult } from './programs-result';

const ROW = 22;
const LABEL = 190;
const BAR = 560;
const M = { top: 44, bottom: 48, right: 90 };
const PARTS = [
  { name: 'walk', color: '#1f77b4', pick: (p: ProgramResult) => p.walkMs.median },
  { name: 'heap snapshot', color: '#d62728', pick: (p: ProgramResult) => p.heapSnapshotMs.median },
  { name: 'other', color: '#7f7f7f', pick: (p: ProgramResult) => p.otherMs.median },
];
const TARGET_MS = 100;

export function programsPlotSize(programs: ProgramResult[]): { width: number; height: number } {
  return { width: LABEL + BAR + M.right, height: M.top + programs.length * ROW + M.bottom };
}

export function programsPlotSvg(programs: ProgramResult[]): string {
  const { width, height } = programsPlotSize(programs);
  const top = Math.max(TARGET_MS * 2, ...programs.map((p) => p.stopMs.median));
  const px = (ms: number) => LABEL + (ms / top) * BAR;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-weight="bold">Program stopped for (median ms), library corpus</text>`,
  ];
  programs.forEach((p, i) => {
    const y = M.top + i * ROW;
    out.push(`<text x="${LABEL - 8}" y="${y + 14}" text-anchor="end">${p.name}</text>`);
    let at = 0;
    for (const part of PARTS) {
      const ms = Math.max(0, part.pick(p));
      out.push(
        `<rect x="${px(at)}" y="${y + 3}" width="${Math.max(0, px(at + ms) - px(at))}" height="${ROW - 6}" fill="${part.color}"/>`,
      );
      at += ms;
    }
    out.push(`<text x="${px(at) + 4}" y="${y + 14}">${Math.round(p.stopMs.median)}</text>`);
  });
  const bottom = M.top + programs.length * ROW;
  out.push(
    `<line x1="${px(TARGET_MS)}" x2="${px(TARGET_MS)}" y1="${M.top - 6}" y2="${bottom}" stroke="black" stroke-dasharray="4 3"/>`,
    `<text x="${px(TARGET_MS)}" y="${M.top - 10}" text-anchor="middle">${TARGET_MS} ms</text>`,
  );
  PARTS.forEach((part, k) => {
    const x = LABEL + k * 150;
    out.push(
      `<rect x="${x}" y="${bottom + 20}" width="14" height="12" fill="${part.color}"/>`,
      `<text x="${x + 20}" y="${bottom + 30}">${part.name}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}
