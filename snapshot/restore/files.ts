// Reopens the program's files under their original descriptor numbers, at their original
// offsets, before anything else opens a file. Node has no dup2 or lseek: lower free numbers are
// filled with placeholders so that open(2) returns the wanted one, and the offset is reached by
// reading up to it.
import { closeSync, constants, openSync, readSync } from 'node:fs';
import type { OpenFileRecord } from '../format/manifest';

const ACCESS = 3;
const KEPT = constants.O_APPEND | constants.O_SYNC | constants.O_DSYNC;

export function reopenFiles(files: OpenFileRecord[]): void {
  const placeholders: number[] = [];
  try {
    for (const file of [...files].sort((a, b) => a.fd - b.fd)) {
      for (;;) {
        const next = openSync('/dev/null', 'r');
        if (next === file.fd) {
          closeSync(next);
          break;
        }
        if (next > file.fd) {
          closeSync(next);
          throw new Error(`cannot reopen ${file.path} as file descriptor ${file.fd}: that number is already in use in this process`);
        }
        placeholders.push(next);
      }
      const append = (file.flags & constants.O_APPEND) !== 0;
      // A write-only file left mid-way is reopened read-write: reading is the only way to its offset.
      const access = !append && file.position > 0 && (file.flags & ACCESS) === constants.O_WRONLY ? constants.O_RDWR : file.flags & ACCESS;
      let fd: number;
      try {
        fd = openSync(file.path, access | (file.flags & KEPT));
      } catch (error) {
        throw new Error(`cannot reopen ${file.path} (file descriptor ${file.fd}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      if (fd !== file.fd) throw new Error(`reopened ${file.path} as file descriptor ${fd}, not ${file.fd}`);
      if (!append) advance(fd, file.position, file.path);
    }
  } finally {
    for (const fd of placeholders) closeSync(fd);
  }
}

function advance(fd: number, position: number, path: string): void {
  const buffer = Buffer.allocUnsafe(Math.min(position, 1 << 20));
  let at = 0;
  while (at < position) {
    const n = readSync(fd, buffer, 0, Math.min(buffer.length, position - at), null);
    if (n === 0) throw new Error(`${path} is shorter (${at} bytes) than the offset it was open at (${position})`);
    at += n;
  }
}
