// After a full run: BENCHMARKS.md gets the latest tables (between its markers) and media/bench.png the plot.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

const BEGIN = '<!-- bench:results:begin -->';
const END = '<!-- bench:results:end -->';

export function updateDocs(benchmarksMd: string, tables: string, png: string | undefined, mediaPng: string): void {
  const doc = readFileSync(benchmarksMd, 'utf8');
  const from = doc.indexOf(BEGIN);
  const to = doc.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${benchmarksMd} has no ${BEGIN} … ${END} block to fill`);
  writeFileSync(benchmarksMd, `${doc.slice(0, from + BEGIN.length)}\n${tables}\n${doc.slice(to)}`);
  if (png && existsSync(png)) copyFileSync(png, mediaPng);
}
