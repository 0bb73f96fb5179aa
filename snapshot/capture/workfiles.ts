// The working files that travel with the program (DESIGN §5, §7: files under the program's root go
// with it to another host): the regular files under its working directory that it holds open, or
// that changed since it started and that the program names (its sources or its heap hold the
// file's name), i.e. its logs and state, not the project around it nor what other processes wrote
// there. Read while the program is frozen, so they match the checkpoint. Linux (/proc); elsewhere
// none are found.
//
// Which files a process opened and closed again is not kept by the kernel: a file changed since
// the start but not named (a name built at run time from parts) is reported, not carried.
import { readdirSync, readFileSync, readlinkSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';

export interface WorkingFile {
  /** The file on this machine. */
  source: string;
  /** Its path relative to the program's working directory (on the host, the run's working directory). */
  target: string;
}

export interface WorkingFiles {
  files: WorkingFile[];
  /** Files changed since the program started that nothing of the program names: left behind. */
  unnamed: string[];
}

/** Directories that are the project's, not the run's. */
const SKIPPED = new Set(['node_modules', '.git']);
const MAX_ENTRIES = 20_000;

/** `isNamed(file)`: whether the program names the file (see namedIn). */
export function workingFiles(pid: number, cwd: string, isNamed: (file: string) => boolean): WorkingFiles {
  const started = startedAtMs(pid);
  if (started === undefined) return { files: [], unnamed: [] };
  const open = openFiles(pid);
  const found: WorkingFile[] = [];
  const unnamed: string[] = [];
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
      if (!stat.isFile()) continue;
      // The clock behind a process's start time counts in whole seconds: err towards shipping.
      const changed = stat.mtimeMs >= started - 1000;
      if (open.has(file) || (changed && isNamed(file))) found.push({ source: file, target: path.relative(cwd, file) });
      else if (changed) unnamed.push(path.relative(cwd, file));
    }
  };
  walk(cwd);
  return { files: found, unnamed };
}

/**
 * Whether a file's name occurs in the program's captured bytes (its heap's strings, its sources):
 * `fs.appendFileSync('app.log', ...)` names app.log in its source, a path kept in a variable in its
 * heap. Matched by base name, in each encoding the sections store text in.
 */
export function namedIn(sections: Uint8Array[]): (file: string) => boolean {
  const buffers = sections.map((s) => Buffer.from(s.buffer, s.byteOffset, s.byteLength));
  return (file) => {
    const name = path.basename(file);
    const forms = [Buffer.from(name, 'utf8'), Buffer.from(name, 'utf16le')];
    if (/^[\x00-\xff]*$/.test(name)) forms.push(Buffer.from(name, 'latin1'));
    return buffers.some((buffer) => forms.some((form) => buffer.includes(form)));
  };
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

function openFiles(pid: number): Set<string> {
  const paths = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
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
