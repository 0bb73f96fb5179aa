// The working files that travel with the program (docs/ARCHITECTURE.md §2: files under the program's root go
// with it to another host): the regular files under its working directory that it holds open, or
// that it holds the path of (a string in its heap or a string literal in its sources that resolves
// to the file): changed since it started, they are its logs and state; unchanged, what it reads
// (a config, data beside its script), which a host with a filesystem of its own lacks. Not the
// project around it, what other processes wrote there, nor Ferry's own checkpoints. Read while the
// program is frozen, so they match the checkpoint. Linux (/proc); elsewhere none are found.
//
// Which files a process opened and closed again is not kept by the kernel: a file changed since
// the start but not named (a name built at run time from parts) is reported, not carried.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { heapStringTable } from '../heap/decoder';
import { stringTable } from '../heap/reader';
import { needsTwoBytes } from '../heap/writer';
import type { SourceEntry } from '../format/sections';
import { isTempFileName } from '../format/temp-file';
import { directoryForms, mayHoldDirectory, spanPattern, type DirectoryForms } from '../format/path-spans';
import { stringLiterals } from './source-text';

export interface WorkingFile {
  /** The file on this machine. */
  source: string;
  /** Its path relative to the program's working directory. */
  target: string;
  /** Unchanged since the program started: what it reads, put where it is missing (format/workfiles.ts). */
  input?: boolean;
}

export interface WorkingFiles {
  files: WorkingFile[];
  /** Files changed since the program started that nothing of the program names: left behind. */
  unnamed: string[];
}

/** Of the candidate files (absolute paths; changed since the program started, or not), those the program holds a path to (see namedIn). */
export type NamedFiles = (changed: string[], unchanged: string[]) => Set<string>;

/** Directories that are the project's, or Ferry's (the debugger's checkpoint folder), not the run's. */
const SKIPPED = new Set(['node_modules', '.git', '.ferry']);
const MAX_ENTRIES = 20_000;
/** Longer strings are not taken for paths (Linux's PATH_MAX). */
const MAX_PATH = 4096;

/**
 * `output` is the checkpoint being written: like every `*.ferry` and the temporary files they are
 * written through, it is Ferry's, never the program's, even when the program names it. `code` are
 * the program's scripts, which the checkpoint holds as code: neither carried nor reported.
 */
export function workingFiles(
  pid: number,
  cwd: string,
  named: NamedFiles,
  output: string,
  code: Set<string>,
): WorkingFiles {
  const started = startedAtMs(pid);
  if (started === undefined) return { files: [], unnamed: [] };
  const open = openFiles(pid);
  const held: string[] = [];
  const changed: string[] = [];
  const unchanged: string[] = [];
  const skipped = (file: string) => code.has(file) || file === path.resolve(cwd, output) || isFerryOutput(file);
  let entries = 0;
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      if (++entries > MAX_ENTRIES) return;
      const file = path.join(dir, name);
      let stat: Stats;
      try {
        stat = statSync(file);
      } catch {
        continue;
      }
      if (stat.isDirectory()) {
        if (!SKIPPED.has(name)) walk(file);
        continue;
      }
      if (!stat.isFile() || skipped(file)) continue;
      // The clock behind a process's start time counts in whole seconds: err towards shipping.
      if (open.has(file)) held.push(file);
      else if (stat.mtimeMs >= started - 1000) changed.push(file);
      else unchanged.push(file);
    }
  };
  walk(cwd);
  const isNamed = named(changed, unchanged);
  const inputs = new Set(unchanged.filter((file) => isNamed.has(file)));
  const carried = [...held, ...changed.filter((file) => isNamed.has(file)), ...inputs].sort();
  return {
    files: carried.map((file) => ({
      source: file,
      target: path.relative(cwd, file),
      ...(inputs.has(file) ? { input: true } : {}),
    })),
    unnamed: changed.filter((file) => !isNamed.has(file)).map((file) => path.relative(cwd, file)),
  };
}

/** A checkpoint, or the temporary file one is written through (format/checkpoint.ts). */
export function isFerryOutput(file: string): boolean {
  return /\.ferry$|\.ferry\.\d+\.tmp$/.test(file) || isTempFileName(path.basename(file));
}

/** What the program holds that may be a path: its heap's strings, its sources, its arguments. */
export interface ProgramText {
  heap: Uint8Array;
  sources: SourceEntry[];
  argv: string[];
}

/**
 * Whether the program holds a file's whole path, or the whole path of a directory it lies in below
 * the working directory (an output directory, the data beside a script): a string of its heap
 * (`statePath` kept in a variable, a `file:` URL), a string literal of one of its sources
 * (`fs.appendFileSync('app.log')`) or one of its arguments, that resolves to it, relative to the
 * working directory (or, for a literal, to its source's directory: `path.join(__dirname, 'app.log')`).
 * A name that is only part of a string (`.env` in `process.env`, `key` in `keys`) does not count,
 * nor the working directory itself. `read` is called only when there are candidates: a program
 * stopped with a large heap is not kept waiting for nothing. The heap is searched by the names of
 * the changed files (and their directories), and for absolute paths and URLs under `cwd`, not by
 * the names of the unchanged files (there may be thousands: the project around the program).
 */
export function namedIn(read: () => ProgramText, cwd: string): NamedFiles {
  return (changed, unchanged) => {
    const candidates = new Candidates(cwd, [...changed, ...unchanged]);
    if (candidates.files.size === 0) return new Set();
    const text = read();
    for (const value of text.argv) candidates.considerText(value, cwd);
    for (const source of text.sources) {
      const dir = sourceDirectory(source.url);
      for (const literal of stringLiterals(source.source)) {
        candidates.considerText(literal, cwd);
        if (dir !== undefined) candidates.consider(literal, dir);
      }
    }
    // The heap last, and only for what the sources did not name: it is the largest.
    const byName = candidates.unnamed(changed).flatMap((file) => candidates.namesOf(file));
    const needles = [
      ...new Set([
        ...byName.flatMap((name) => [name, encodeURIComponent(name)]),
        `${cwd}/`,
        `${pathToFileURL(cwd).href}/`,
      ]),
    ];
    for (const value of heapStringsContaining(text.heap, needles)) candidates.considerText(value, cwd);
    return candidates.named();
  };
}

/** The candidate files and the directories they lie in below the working directory, and which of them a string names. */
class Candidates {
  readonly files: Set<string>;
  private readonly dirs = new Set<string>();
  private readonly names = new Set<string>();
  private readonly namedFiles = new Set<string>();
  private readonly namedDirs = new Set<string>();

  private readonly cwdForms: DirectoryForms;
  private readonly cwdSpans: RegExp;

  constructor(
    private readonly cwd: string,
    files: string[],
  ) {
    this.cwdForms = directoryForms(cwd);
    this.cwdSpans = spanPattern(this.cwdForms);
    this.files = new Set(files);
    for (const file of files) {
      this.names.add(path.basename(file));
      for (let dir = path.dirname(file); dir.startsWith(`${cwd}/`); dir = path.dirname(dir)) {
        this.dirs.add(dir);
        this.names.add(path.basename(dir));
      }
    }
  }

  /** A string as a path, and the paths under the working directory inside it (`--out=/srv/job/out`, format/path-spans.ts). */
  considerText(value: string, base: string): void {
    this.consider(value, base);
    if (value.length > MAX_PATH || !mayHoldDirectory(value, this.cwdForms)) return;
    for (const [span] of value.matchAll(this.cwdSpans)) if (span !== value) this.consider(span, base);
  }

  /** Called for every string of the heap that may name one: the cheap test on the name first. */
  consider(value: string, base: string): void {
    const file = asPath(value)?.replace(/\/+$/, '');
    if (!file || !this.names.has(file.slice(file.lastIndexOf('/') + 1))) return;
    const resolved = path.resolve(base, file);
    if (this.files.has(resolved)) this.namedFiles.add(resolved);
    else if (this.dirs.has(resolved)) this.namedDirs.add(resolved);
  }

  /** A file's name and its directories' names below the working directory. */
  namesOf(file: string): string[] {
    return path.relative(this.cwd, file).split('/');
  }

  unnamed(files: string[]): string[] {
    const named = this.named();
    return files.filter((file) => !named.has(file));
  }

  named(): Set<string> {
    const inNamedDir = (file: string) => {
      for (let dir = path.dirname(file); dir.startsWith(`${this.cwd}/`); dir = path.dirname(dir))
        if (this.namedDirs.has(dir)) return true;
      return false;
    };
    return new Set([...this.files].filter((file) => this.namedFiles.has(file) || inNamedDir(file)));
  }
}

/**
 * The strings of a heap section, short enough to be paths, that contain one of `needles`: found by
 * searching the table's text for each needle, so that only those strings are decoded (a large
 * heap has millions of strings, and the program is stopped meanwhile).
 */
function heapStringsContaining(heap: Uint8Array, needles: string[]): string[] {
  const table = stringTable(heapStringTable(heap));
  const unit = table.wide ? 2 : 1;
  const encoding = table.wide ? 'utf16le' : 'latin1';
  const text = Buffer.from(table.text.buffer, table.text.byteOffset, table.text.byteLength);
  const ends = new Float64Array(table.count); // where each string ends, in characters
  for (let i = 0, at = 0; i < table.count; i++) ends[i] = at += table.lengths.uint();
  const found = new Map<number, string>();
  for (const needle of needles) {
    if (!table.wide && needsTwoBytes(needle)) continue; // cannot occur in a one-byte table
    const pattern = Buffer.from(needle, encoding);
    for (let hit = text.indexOf(pattern); hit >= 0; hit = text.indexOf(pattern, hit + 1)) {
      if (hit % unit !== 0) continue;
      const index = stringAt(ends, hit / unit);
      const start = index === 0 ? 0 : ends[index - 1];
      if (found.has(index) || hit / unit + needle.length > ends[index] || ends[index] - start > MAX_PATH) continue;
      found.set(index, text.toString(encoding, start * unit, ends[index] * unit));
    }
  }
  return [...found.values()];
}

/** The index of the string whose characters include `offset` (binary search over their ends). */
function stringAt(ends: Float64Array, offset: number): number {
  let low = 0;
  let high = ends.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ends[middle] <= offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** A string as a file path: itself, or the path of a `file:` URL; not text that cannot be a path. */
function asPath(value: string): string | undefined {
  if (value.length > MAX_PATH) return undefined;
  if (!value.startsWith('file:')) return value;
  try {
    return fileURLToPath(value);
  } catch {
    return undefined;
  }
}

function sourceDirectory(url: string): string | undefined {
  const file = asPath(url);
  return file !== undefined && path.isAbsolute(file) ? path.dirname(file) : undefined;
}

/** Size and SHA-256 of a file as it is now, for restore to tell whether it changed since (undefined: unreadable). */
export function fingerprint(file: string, maxBytes: number): { size: number; sha256?: string } | undefined {
  try {
    const size = statSync(file).size;
    return size > maxBytes ? { size } : { size, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') };
  } catch {
    return undefined;
  }
}

/** When the process started, from /proc: boot time plus its start in clock ticks (USER_HZ, 100 on Linux). */
function startedAtMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const boot = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    return Number.isFinite(ticks) && boot ? (boot + ticks / 100) * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** Files the process holds open, less its standard streams: `> out.txt` is its parent's doing, and a restored process gets streams of its own. */
function openFiles(pid: number): Set<string> {
  const paths = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      if (Number(fd) <= 2) continue;
      try {
        paths.add(readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    // not ours to look at
  }
  return paths;
}
