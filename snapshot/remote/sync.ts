// Content-addressed transfer: every file is stored once on the host as blobs/<sha256> and linked
// (or, for files the program may change, copied) into place, so a second run sends only what changed.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { Transform } from 'node:stream';
import { RemoteError } from './errors';
import { formatBytes } from '../bytes';
import { shq, shScript } from './shell';
import type { RemoteHost } from './host';
import { tarStream } from './tar';

export interface SyncEntry {
  /** Where it goes, relative to the Ferry directory on the host. */
  target: string;
  /** A local file, or the bytes themselves. */
  source: string | Buffer;
  /** A private copy the program may change, instead of a hard link to the shared blob. */
  copy?: boolean;
  executable?: boolean;
}

export interface Blob extends SyncEntry {
  hash: string;
  size: number;
}

export interface SyncOptions {
  /** Shell commands run in the Ferry directory after the files are in place, in the same round trip. */
  then?: string;
  /** Free space the probe saw; a transfer that cannot fit is refused before it starts. */
  freeBytes?: number;
  onProgress?(sentBytes: number, totalBytes: number): void;
}

export interface SyncResult {
  sentBlobs: number;
  sentBytes: number;
  /** What `then` printed. */
  output: string;
}

export async function hashEntries(entries: SyncEntry[]): Promise<Blob[]> {
  return Promise.all(
    entries.map(async (entry) => {
      if (Buffer.isBuffer(entry.source))
        return { ...entry, hash: createHash('sha256').update(entry.source).digest('hex'), size: entry.source.length };
      const size = statSync(entry.source).size;
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(entry.source)) hash.update(chunk as Buffer);
      return { ...entry, hash: hash.digest('hex'), size };
    }),
  );
}

/** Sends the blobs the host does not hold (`stored`, as the probe found), then links every entry into place. */
export async function sync(
  host: RemoteHost,
  root: string,
  blobs: Blob[],
  stored: Set<string>,
  options: SyncOptions = {},
): Promise<SyncResult> {
  const unique = new Map<string, Blob>();
  for (const blob of blobs) if (!stored.has(blob.hash)) unique.set(blob.hash, blob);
  const toSend = [...unique.values()];
  const totalBytes = toSend.reduce((sum, blob) => sum + blob.size, 0);
  // Keep a margin for the run's own output files and metadata.
  if (options.freeBytes !== undefined && totalBytes + MARGIN > options.freeBytes) {
    throw new RemoteError(
      'disk-full',
      `not enough free disk on ${host.label} in ${root}: ${formatBytes(totalBytes)} to send, ${formatBytes(options.freeBytes)} free`,
    );
  }
  const place = blobs.map((blob) => {
    const from = `blobs/${blob.hash}`;
    const to = shq(blob.target);
    const dir = blob.target.includes('/')
      ? `mkdir -p ${shq(blob.target.slice(0, blob.target.lastIndexOf('/')))} && `
      : '';
    const put = blob.copy ? `cp ${from} ${to}` : `{ ln -f ${from} ${to} 2>/dev/null || cp ${from} ${to}; }`;
    return `${dir}${put}${blob.executable ? ` && chmod 755 ${to}` : ''}`;
  });
  const script = [
    'set -e',
    `cd ${shq(root)}`,
    ...(toSend.length
      ? [
          'incoming="$PWD/blobs/.in-$$"',
          'trap \'rm -rf "$incoming"\' EXIT',
          'mkdir "$incoming"',
          'tar -xf - -C "$incoming"',
          // A blob appears under its name only when complete, so a transfer cut halfway leaves no bad blob behind.
          'for f in "$incoming"/*; do mv -f "$f" blobs/; done',
          'rmdir "$incoming"',
        ]
      : []),
    ...place,
    ...(options.then ? [options.then] : []),
  ].join('\n');
  let sent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sent += chunk.length;
      options.onProgress?.(Math.min(sent, totalBytes), totalBytes);
      done(null, chunk);
    },
  });
  const input = toSend.length
    ? tarStream(toSend.map((blob) => ({ name: blob.hash, size: blob.size, source: blob.source }))).pipe(counter)
    : undefined;
  const result = await host.exec(shScript(script), input);
  if (result.code !== 0) {
    const detail = result.stderr.trim();
    if (/No space left on device|Disk quota exceeded/.test(detail))
      throw new RemoteError('disk-full', `the disk of ${host.label} is full (${root}): ${lastLine(detail)}`);
    throw new RemoteError(
      'not-writable',
      `cannot put files on ${host.label} in ${root}: ${lastLine(detail) || `exit ${result.code}`}`,
    );
  }
  for (const blob of toSend) stored.add(blob.hash);
  return { sentBlobs: toSend.length, sentBytes: totalBytes, output: result.stdout.toString('utf8') };
}

const MARGIN = 256 * 1024;

function lastLine(text: string): string {
  return text.split('\n').filter(Boolean).at(-1) ?? '';
}
