// After a full run: BENCHMARKS.md gets the latest tables (between its markers) and media/ the plots.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

const BEGIN = '<!-- bench:results:begin -->';
const END = '<!-- bench:results:end -->';

/** `images`: each plot made (undefined when it could not be) and where it goes. */
export function updateDocs(benchmarksMd: string, tables: string, images: Array<[string | undefined, string]>): void {
  const doc = readFileSync(benchmarksMd, 'utf8');
  const from = doc.indexOf(BEGIN);
  const to = doc.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${benchmarksMd} has no ${BEGIN} … ${END} block to fill`);
  writeFileSync(benchmarksMd, `${doc.slice(0, from + BEGIN.length)}\n${tables}\n${doc.slice(to)}`);
  for (const [png, media] of images) if (png && existsSync(png)) copyFileSync(png, media);
}
