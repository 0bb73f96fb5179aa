// The `workfiles` section: the program's working files (capture/workfiles.ts), so that a checkpoint
// restored on another machine, or in another directory, finds its logs and state files there.
// Layout: u32 length of a JSON index [{ path (relative to the program's cwd), mode, size }], the
// index, then the files' bytes one after another.

export interface PackedFile {
  path: string;
  mode: number;
  data: Uint8Array;
}

export function packWorkingFiles(files: PackedFile[]): Buffer {
  const index = Buffer.from(JSON.stringify(files.map((f) => ({ path: f.path, mode: f.mode, size: f.data.length }))));
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
  let index: Array<{ path: unknown; mode: unknown; size: unknown }>;
  try {
    index = JSON.parse(bytes.subarray(4, 4 + indexLength).toString('utf8'));
  } catch {
    return fail('has a damaged index');
  }
  if (!Array.isArray(index)) fail('has a damaged index');
  let at = 4 + indexLength;
  return index.map((entry) => {
    const { path, mode, size } = entry;
    // Relative paths inside the program's directory only: a checkpoint must not write elsewhere.
    if (
      typeof path !== 'string' ||
      path.startsWith('/') ||
      path.split('/').includes('..') ||
      typeof mode !== 'number' ||
      typeof size !== 'number' ||
      size < 0 ||
      at + size > bytes.length
    )
      fail('has a damaged entry');
    const data = bytes.subarray(at, at + (size as number));
    at += size as number;
    return { path: path as string, mode: mode as number, data };
  });
}
