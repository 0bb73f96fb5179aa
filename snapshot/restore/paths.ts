// Where the program runs after the restore. By default in the directory it ran in, at the same
// absolute path, made if it is missing: every path it holds keeps naming its files. Given another
// directory (`--cwd DIR`, a mapping the user chose), the paths it holds under the old one are
// rewritten to name the same files under the new one: strings of its heap (`__dirname`,
// `__filename`, a module's id and `require.cache` key, an output directory joined to `process.cwd()`,
// `file:` URLs), its arguments and environment, the files it holds open. A path is rewritten
// where it stands for itself, as a whole string or inside longer text (`--out=/srv/job/out`, a
// `:`-separated list, JSON, a message naming a file): format/path-spans.ts says where. Paths
// written in the program's code are not rewritten (the code is the program's as it was written):
// the restore names the places (codeNamingDirectory).
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { directoryForms, directoryPattern, mayHoldDirectory } from '../format/path-spans';

export interface PathMapping {
  /** The working directory on the origin (the checkpoint's). */
  from: string;
  /** Where the program runs here. */
  to: string;
}

/** Where the program runs here: `cwd` when given (resolved), else where it ran (`original`). */
export function workingDirectoryMapping(original: string, cwd: string | undefined): PathMapping {
  return { from: original, to: cwd === undefined ? original : resolve(cwd) };
}

/** Makes the working directory if it is missing; one that cannot be made is refused before anything else changes. */
export function makeWorkingDirectory(mapping: PathMapping): void {
  try {
    mkdirSync(mapping.to, { recursive: true });
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(
      mapping.from === mapping.to
        ? `cannot make the program's working directory ${mapping.to} here (${why}): restore with --cwd DIR to run it in DIR, with the paths it holds under ${mapping.from} rewritten`
        : `cannot make the working directory ${mapping.to} (--cwd): ${why}`,
    );
  }
}

/** Files the program held open, at their paths here. */
export function heldFilesHere<T extends { path: string }>(files: T[], mapping: PathMapping): T[] {
  const mapPath = pathMapper(mapping);
  return files.map((file) => ({ ...file, path: mapPath(file.path) }));
}

/**
 * Rewrites the paths under the mapping's old directory (as paths or `file:` URLs) that a string
 * holds, as a whole or inside longer text (format/path-spans.ts), to the same paths under the new
 * one; anything else stays as it is.
 */
export function pathMapper(mapping: PathMapping): (value: string) => string {
  // The root holds every absolute path: nothing could tell the program's from the system's.
  if (mapping.from === mapping.to || mapping.from === '/') return (value) => value;
  const from = directoryForms(mapping.from);
  const to = directoryForms(mapping.to);
  const pattern = directoryPattern(from);
  return (value) =>
    mayHoldDirectory(value, from) ? value.replace(pattern, (found) => (found === from.url ? to.url : to.path)) : value;
}

/** A place in the program's code: a script's URL and a 1-based line. */
export interface CodePlace {
  url: string;
  line: number;
}

/** The places where the program's code names the mapping's old directory, which no restore rewrites. */
export function codeNamingDirectory(
  sources: Array<{ url: string; source: string }>,
  mapping: PathMapping,
): CodePlace[] {
  if (mapping.from === mapping.to || mapping.from === '/') return [];
  const from = directoryForms(mapping.from);
  const pattern = directoryPattern(from);
  const places: CodePlace[] = [];
  for (const { url, source } of sources) {
    if (!mayHoldDirectory(source, from)) continue;
    for (const match of source.matchAll(pattern))
      places.push({ url, line: source.slice(0, match.index).split('\n').length });
  }
  return places;
}
