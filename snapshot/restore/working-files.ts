// The program's files on this machine, against what the checkpoint knows of them. A restore must
// not write into another run's data: a carried file (the `workfiles` section) that is here with
// other bytes, or a file the program held open whose size or hash is no longer the checkpoint's,
// was changed since the checkpoint, and reopening it at the saved offset would write over what
// is there. Such files are refused, named, before anything changes, unless `overwrite` is asked:
// then a carried file is put back as the checkpoint has it (the program goes on with the state it
// was checkpointed with), and a held file the checkpoint has no copy of is reopened at its saved
// offset as it is, with a warning. A held file open for appending that the checkpoint does not
// carry (a log outside the program's directory, shared with others) has no offset to write over: it
// is not checked. A file the program only reads (`input`: unchanged since it started) is put where
// it is missing and otherwise left as it is: an uninterrupted run would read what is there.
import { createHash } from 'node:crypto';
import { constants, existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseWorkingFileIndex, SHIPPED, workingFileFacts, type PackedFile } from '../format/workfiles';
import type { FileFingerprint } from '../format/manifest';

/** A file the program held open, at its path on this machine. */
export type HeldFile = { path: string; flags: number; position: number } & FileFingerprint;

export interface Change {
  path: string;
  /** What differs: "(24 bytes then, 31 now)". */
  how: string;
}

/**
 * Checks every file first, then writes the carried ones that are missing (or, with `overwrite`,
 * changed): a refusal leaves the directory as it was. Returns the files written.
 */
export function placeProgramFiles(
  carried: PackedFile[],
  held: HeldFile[],
  cwd: string,
  overwrite: boolean,
  warn: (message: string) => void,
): Set<string> {
  const copies = carriedAt(carried, cwd);
  const { changedCopies, changedHeld } = changesSince(copies, held);
  const changes = [...changedCopies, ...changedHeld];
  if (changes.length > 0 && !overwrite) {
    throw new Error(
      `the program's files changed since the checkpoint: ${changes.map((c) => `${c.path} ${c.how}`).join(', ')}. ` +
        'Restoring would write into what another run made of them: move them away, or restore with --overwrite ' +
        "(the checkpoint's copies are put back; a file it has no copy of is written over from its saved offset)",
    );
  }
  for (const change of changedHeld) {
    const offset = held.find((file) => file.path === change.path)!.position;
    warn(
      `${change.path} changed since the checkpoint ${change.how} and the checkpoint has no copy of it: reopened at offset ${offset} as it is (--overwrite)`,
    );
  }
  const changed = new Set(changedCopies.map((c) => c.path));
  const written = new Set<string>();
  for (const [path, file] of copies) {
    if (existsSync(path) && !changed.has(path)) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.data, { mode: file.mode });
    // Its time of last write as the program left it: a build cache comparing times sees it unchanged.
    if (file.mtimeMs !== undefined) utimesSync(path, new Date(), file.mtimeMs / 1000);
    written.add(path);
  }
  return written;
}

/**
 * The working files a migration sent beside the checkpoint, each content-addressed on its own
 * (remote/launch.ts): their index, and the files at their paths under `files/`.
 */
export function readShippedFiles(dir: string): PackedFile[] {
  const index = parseWorkingFileIndex(readFileSync(join(dir, SHIPPED.index), 'utf8'), 'shipped working files');
  return index.map((entry) => {
    const data = readFileSync(join(dir, SHIPPED.files, entry.path));
    if (data.length !== entry.size) throw new Error(`the shipped working file ${entry.path} is incomplete`);
    return { path: entry.path, mode: entry.mode, data, ...workingFileFacts(entry) };
  });
}

function carriedAt(carried: PackedFile[], cwd: string): Map<string, PackedFile> {
  return new Map(carried.map((file) => [join(cwd, file.path), file]));
}

function changesSince(
  copies: Map<string, PackedFile>,
  held: HeldFile[],
): { changedCopies: Change[]; changedHeld: Change[] } {
  return {
    changedCopies: [...copies].flatMap(([path, file]) => (file.input ? [] : changeOfCopy(path, file.data))),
    changedHeld: held.filter((file) => !copies.has(file.path)).flatMap(changeOfHeld),
  };
}

/** The program's files that changed since the checkpoint: what a restore without `overwrite` refuses. */
export function changedProgramFiles(carried: PackedFile[], held: HeldFile[], cwd: string): Change[] {
  const { changedCopies, changedHeld } = changesSince(carriedAt(carried, cwd), held);
  return [...changedCopies, ...changedHeld];
}

function changeOfCopy(path: string, copy: Uint8Array): Change[] {
  const now = readIfThere(path);
  if (now === undefined || now.equals(copy)) return [];
  return [{ path, how: describe(copy.length, now.length) }];
}

/** A held file's size and hash against the checkpoint's (none recorded: nothing to tell; missing: reopening says so). */
function changeOfHeld(file: HeldFile): Change[] {
  if (file.size === undefined || (file.flags & constants.O_APPEND) !== 0) return [];
  const now = readIfThere(file.path);
  if (now === undefined) return [];
  const same =
    now.length === file.size &&
    (file.sha256 === undefined || createHash('sha256').update(now).digest('hex') === file.sha256);
  return same ? [] : [{ path: file.path, how: describe(file.size, now.length) }];
}

function describe(then: number, now: number): string {
  return then === now ? `(${now} bytes, other content)` : `(${then} bytes then, ${now} now)`;
}

function readIfThere(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Modules the program loads after the restore come from disk: one changed since the checkpoint
 * (edited, or updated by a package install) is not the code the program was checkpointed with, and
 * is named as it loads (CommonJS `require`; an ES module's `import()` is not seen). `putBack` are
 * the checkpoint's own copies, just written.
 */
export function warnOfModulesChangedSince(
  Module: { prototype: { load(filename: string, ...rest: unknown[]): unknown } },
  takenAt: Date,
  putBack: Set<string>,
  warn: (message: string) => void,
): void {
  const load = Module.prototype.load;
  Module.prototype.load = function (this: unknown, filename: string, ...rest: unknown[]) {
    const modified = modifiedAt(filename);
    if (modified !== undefined && modified > takenAt.getTime() && !putBack.has(filename)) {
      warn(
        `${filename} changed since the checkpoint (modified ${new Date(modified).toISOString()}, checkpoint taken ${takenAt.toISOString()}): the program loads it as it is now`,
      );
    }
    return load.call(this, filename, ...rest);
  };
}

function modifiedAt(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}
