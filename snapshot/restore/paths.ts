// Where the program runs after the restore. By default in the directory it ran in, at the same
// absolute path, made if it is missing: every path it holds keeps naming its files. Given another
// directory (`--cwd DIR`, a mapping the user chose), the paths it holds under the old one are
// rewritten to name the same files under the new one: strings of its heap (`__dirname`,
// `__filename`, a module's id and `require.cache` key, an output directory joined to `process.cwd()`,
// `file:` URLs), its arguments and environment, the files it holds open. A string is rewritten
// only when it is such a path as a whole (the old directory itself, or starts with it and `/`):
// a message that mentions the directory stays as it is.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

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

/** Rewrites a path under the mapping's old directory (a path or a `file:` URL) to the new one; anything else as it is. */
export function pathMapper(mapping: PathMapping): (value: string) => string {
  // The root holds every absolute path: nothing could tell the program's from the system's.
  if (mapping.from === mapping.to || mapping.from === '/') return (value) => value;
  const fromUrl = pathToFileURL(mapping.from).href;
  const toUrl = pathToFileURL(mapping.to).href;
  const under = (value: string, dir: string) =>
    value.startsWith(dir) && (value.length === dir.length || value[dir.length] === '/');
  return (value) => {
    if (value.charCodeAt(0) === 47 /* '/' */)
      return under(value, mapping.from) ? mapping.to + value.slice(mapping.from.length) : value;
    return value.startsWith('file:') && under(value, fromUrl) ? toUrl + value.slice(fromUrl.length) : value;
  };
}
