// Reopens the program's files under their original descriptor numbers, at their original
// offsets, before anything else opens a file. Node has no dup2 or lseek: lower free numbers are
// filled with placeholders so that open(2) returns the wanted one, and the offset is reached by
// reading up to it.
//
// Another Node version may itself hold a wanted number from its start (Node 22 opens more
// descriptors than Node 20). So whoever starts the restore opens the files first and hands them to
// it at their numbers through spawn's stdio array (`handOverFiles`), and the restore adopts a
// descriptor already open at a wanted number when it is that very file. The restoring process
// cannot move Node's own descriptor away itself: JavaScript has no dup.
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { OpenFileRecord } from '../format/manifest';

const ACCESS = 3;
const KEPT = constants.O_APPEND | constants.O_SYNC | constants.O_DSYNC;

export function reopenFiles(files: OpenFileRecord[]): void {
  const placeholders: number[] = [];
  try {
    for (const file of [...files].sort((a, b) => a.fd - b.fd)) {
      if (adopted(file)) continue;
      for (;;) {
        const next = openSync('/dev/null', 'r');
        if (next === file.fd) {
          closeSync(next);
          break;
        }
        if (next > file.fd) {
          closeSync(next);
          throw new Error(
            `cannot reopen ${file.path} as file descriptor ${file.fd}: that number is already in use in this process ` +
              `(a newer Node than the checkpoint's opens more descriptors at its start; \`ferry restore\` hands the files over at their numbers, ` +
              "a restore on a host does not yet: there, restore with the checkpoint's Node version, --ship-node)",
          );
        }
        placeholders.push(next);
      }
      const fd = openAsSaved(file);
      if (fd !== file.fd) throw new Error(`reopened ${file.path} as file descriptor ${fd}, not ${file.fd}`);
      if (!appending(file)) advance(fd, 0, file.position, file.path);
    }
  } finally {
    for (const fd of placeholders) closeSync(fd);
  }
}

/** The flags a saved file is opened with again: never O_CREAT or O_TRUNC, so opening changes nothing. */
function reopenFlags(file: OpenFileRecord): number {
  // A write-only file left mid-way is reopened read-write: reading is the only way to its offset.
  const access =
    !appending(file) && file.position > 0 && (file.flags & ACCESS) === constants.O_WRONLY
      ? constants.O_RDWR
      : file.flags & ACCESS;
  return access | (file.flags & KEPT);
}

function appending(file: OpenFileRecord): boolean {
  return (file.flags & constants.O_APPEND) !== 0;
}

function openAsSaved(file: OpenFileRecord): number {
  try {
    return openSync(file.path, reopenFlags(file));
  } catch (error) {
    throw new Error(
      `cannot reopen ${file.path} (file descriptor ${file.fd}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/** Where a restore's inherited descriptors past its standard three start. */
export const FIRST_EXTRA_FD = 3;

/**
 * For the process that starts a restore: opens the saved files (those that are there) and returns
 * spawn's stdio entries past the standard three, each file at its number, and a `close` for the
 * parent's copies.
 */
export function handOverFiles(files: OpenFileRecord[]): { extra: Array<'ignore' | number>; close(): void } {
  const extra: Array<'ignore' | number> = [];
  const opened: number[] = [];
  for (const file of files) {
    if (file.fd < FIRST_EXTRA_FD) continue;
    let fd: number;
    try {
      fd = openSync(file.path, reopenFlags(file));
    } catch {
      continue; // not there yet (a copy the restore puts back) or not openable: the restore says which
    }
    opened.push(fd);
    while (extra.length <= file.fd - FIRST_EXTRA_FD) extra.push('ignore');
    extra[file.fd - FIRST_EXTRA_FD] = fd;
  }
  return { extra, close: () => opened.forEach((fd) => closeSync(fd)) };
}

/**
 * Takes over a descriptor handed over at the saved number when it is the saved file (same inode),
 * opened as `reopenFlags` opens it, and not read past the saved offset; moves it to that offset.
 */
function adopted(file: OpenFileRecord): boolean {
  const open = openInfo(file.fd);
  if (!open) return false;
  const here = statIfThere(file.path);
  const held = fstatSync(file.fd);
  if (!here || here.dev !== held.dev || here.ino !== held.ino) return false;
  if ((open.flags & (ACCESS | KEPT)) !== reopenFlags(file)) return false;
  if (!appending(file)) {
    if (open.position > file.position) return false;
    advance(file.fd, open.position, file.position, file.path);
  }
  return true;
}

/** Flags and offset of an open descriptor of this process (Linux's /proc/self/fdinfo); undefined when not open. */
function openInfo(fd: number): { flags: number; position: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
  } catch {
    return undefined;
  }
  const field = (name: string, radix: number) =>
    parseInt(new RegExp(`^${name}:\\s*(\\S+)`, 'm').exec(text)?.[1] ?? 'NaN', radix);
  const flags = field('flags', 8);
  const position = field('pos', 10);
  return Number.isNaN(flags) || Number.isNaN(position) ? undefined : { flags, position };
}

function statIfThere(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function advance(fd: number, from: number, position: number, path: string): void {
  const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(position - from, 1 << 20)));
  let at = from;
  while (at < position) {
    const n = readSync(fd, buffer, 0, Math.min(buffer.length, position - at), null);
    if (n === 0) throw new Error(`${path} is shorter (${at} bytes) than the offset it was open at (${position})`);
    at += n;
  }
}
