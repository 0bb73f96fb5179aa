// The working files that travel with the program (DESIGN §5, §7: files under the program's root go
// with it to another host): the regular files under its working directory that it holds open or has
// changed since it started, i.e. its logs and state, not the project around it. Read while the
// program is frozen, so they match the checkpoint. Linux (/proc); elsewhere none are found.
import { readdirSync, readFileSync, readlinkSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';

export interface WorkingFile {
  /** The file on this machine. */
  source: string;
  /** Its path relative to the program's working directory (on the host, the run's working directory). */
  target: string;
}

/** Directories that are the project's, not the run's. */
const SKIPPED = new Set(['node_modules', '.git']);
const MAX_ENTRIES = 20_000;

export function workingFiles(pid: number, cwd: string): WorkingFile[] {
  const started = startedAtMs(pid);
  if (started === undefined) return [];
  const open = openFiles(pid);
  const found: WorkingFile[] = [];
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
      if (stat.isDirectory() && !SKIPPED.has(name)) walk(file);
      // The clock behind a process's start time counts in whole seconds: err towards shipping.
      else if (stat.isFile() && (stat.mtimeMs >= started - 1000 || open.has(file))) found.push({ source: file, target: path.relative(cwd, file) });
    }
  };
  walk(cwd);
  return found;
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
