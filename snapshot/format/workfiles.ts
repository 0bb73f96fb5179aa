// The `workfiles` section: the program's working files (capture/workfiles.ts), so that a checkpoint
// restored on another machine, or in another directory, finds its logs and state files there.
// Layout: u32 length of a JSON index [{ path (relative to the program's cwd), mode, size, input? }],
// the index, then the files' bytes one after another. A migration sends the same index as a file of
// its own, beside the files (remote/launch.ts), so that each file travels content-addressed.

/** The directory of working files a migration sends (remote/launch.ts): the index, and the files under `files/`. */
export const SHIPPED = { index: 'index.json', files: 'files' } as const;

export interface PackedFile {
  path: string;
  mode: number;
  data: Uint8Array;
  /**
   * A file the program reads and has not changed since it started (a config, data beside its
   * script): put where it is missing, never checked against what is there (an uninterrupted run
   * would read what is there too).
   */
  input?: boolean;
  /**
   * When it was last written (ms since the epoch): a copy made on another machine gets it back, as
   * programs that compare times (a build cache's mtime check) would otherwise see every file changed.
   */
  mtimeMs?: number;
}

/** One file of the index: a PackedFile without its bytes. */
export interface WorkingFileEntry {
  path: string;
  mode: number;
  size: number;
  input?: boolean;
  mtimeMs?: number;
}

/** What an index entry and a PackedFile share beside path, mode and size: the optional facts. */
export function workingFileFacts(file: { input?: boolean; mtimeMs?: number }): Pick<PackedFile, 'input' | 'mtimeMs'> {
  return { ...(file.input ? { input: true } : {}), ...(file.mtimeMs !== undefined ? { mtimeMs: file.mtimeMs } : {}) };
}

export function workingFileEntry(file: PackedFile): WorkingFileEntry {
  return { path: file.path, mode: file.mode, size: file.data.length, ...workingFileFacts(file) };
}

export function packWorkingFiles(files: PackedFile[]): Buffer {
  const index = Buffer.from(JSON.stringify(files.map(workingFileEntry)));
  const head = Buffer.alloc(4);
  head.writeUInt32LE(index.length, 0);
  return Buffer.concat([head, index, ...files.map((f) => f.data)]);
}

export function unpackWorkingFiles(section: Uint8Array): PackedFile[] {
  const bytes = Buffer.from(section.buffer, section.byteOffset, section.byteLength);
  const fail = (why: string): never => {
    throw new Error(`checkpoint corrupted: working files section ${why}`);
  };
  if (bytes.length < 4) fail('is truncated');
  const indexLength = bytes.readUInt32LE(0);
  if (4 + indexLength > bytes.length) fail('is truncated');
  let at = 4 + indexLength;
  return parseWorkingFileIndex(bytes.subarray(4, 4 + indexLength).toString('utf8'), 'working files section').map(
    (entry) => {
      if (at + entry.size > bytes.length) fail('has a damaged entry');
      const data = bytes.subarray(at, at + entry.size);
      at += entry.size;
      return { path: entry.path, mode: entry.mode, data, ...workingFileFacts(entry) };
    },
  );
}

/** The index of working files, checked: relative paths inside the program's directory only (a checkpoint must not write elsewhere). */
export function parseWorkingFileIndex(text: string, what: string): WorkingFileEntry[] {
  const fail = (why: string): never => {
    throw new Error(`checkpoint corrupted: ${what} ${why}`);
  };
  let index: unknown;
  try {
    index = JSON.parse(text);
  } catch {
    return fail('has a damaged index');
  }
  if (!Array.isArray(index)) fail('has a damaged index');
  return (index as Array<Record<string, unknown>>).map((entry) => {
    const { path, mode, size, input, mtimeMs } = entry ?? {};
    if (
      typeof path !== 'string' ||
      path === '' ||
      path.startsWith('/') ||
      path.split('/').includes('..') ||
      typeof mode !== 'number' ||
      typeof size !== 'number' ||
      size < 0 ||
      (input !== undefined && typeof input !== 'boolean') ||
      (mtimeMs !== undefined && typeof mtimeMs !== 'number')
    )
      fail('has a damaged entry');
    return { path, mode, size, ...workingFileFacts({ input, mtimeMs } as WorkingFileEntry) } as WorkingFileEntry;
  });
}
