// Open file descriptors of regular files: path, open flags and offset, read from /proc (Linux).
// The program holds them as plain numbers, so they are reopened under the same numbers.
import type { OpenFileRecord } from '../../format/manifest';

export function openFiles(
  fs: typeof import('node:fs'),
  /** Descriptors the program holds FileHandles on: its own wherever their files are. */
  held: ReadonlySet<number> = new Set(),
): {
  files: OpenFileRecord[];
  refusals: string[];
  warnings: string[];
} {
  const files: OpenFileRecord[] = [];
  const refusals: string[] = [];
  const warnings: string[] = [];
  // A descriptor the parent holds under the same number on the same file was inherited (an
  // editor's log its debug adapter passed on, say), not opened by the program: it stays behind.
  const inherited = (fd: number, path: string) => {
    try {
      return fs.readlinkSync(`/proc/${process.ppid}/fd/${fd}`) === path;
    } catch {
      return false;
    }
  };
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc/self/fd');
  } catch {
    return { files, refusals, warnings }; // not Linux: file descriptors are not carried
  }
  for (const entry of entries) {
    const fd = Number(entry);
    if (!Number.isInteger(fd) || fd <= 2) continue;
    let path: string;
    let info: string;
    try {
      if (!fs.fstatSync(fd).isFile()) continue;
      path = fs.readlinkSync(`/proc/self/fd/${fd}`);
      info = fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
    } catch {
      continue; // closed while we looked (the directory listing's own fd, for one)
    }
    if (path.endsWith(' (deleted)')) {
      refusals.push(
        `file descriptor ${fd}: ${path.slice(0, -' (deleted)'.length)} was deleted while open; it cannot be reopened`,
      );
      continue;
    }
    if (inherited(fd, path)) {
      warnings.push(
        `file descriptor ${fd} (${path}) was inherited from the parent process, not opened by the program: it is not carried`,
      );
      continue;
    }
    const flags = parseInt(/^flags:\s*([0-7]+)/m.exec(info)?.[1] ?? '0', 8);
    // Read-only outside the program's directory: a system file some ancestor left open (CA
    // certificates, an editor's log), not the program's state. Its own files are under its cwd.
    if ((flags & 3) === fs.constants.O_RDONLY && !path.startsWith(`${process.cwd()}/`) && !held.has(fd)) {
      warnings.push(
        `file descriptor ${fd} (${path}) is open read-only outside the program's directory: it is not carried`,
      );
      continue;
    }
    const position = Number(/^pos:\s*(\d+)/m.exec(info)?.[1] ?? '0');
    files.push({ fd, path, flags, position });
  }
  return { files: files.sort((a, b) => a.fd - b.fd), refusals, warnings };
}
