// The .ferry file: one self-contained, integrity-checked file.
//
//   magic "FERRYCK\n" | u32 format version | u32 manifest length | manifest (UTF-8 JSON)
//   | section bytes, in manifest order | SHA-256(manifest) | HMAC-SHA-256(all before) or zeros
//
// The manifest lists every section with its length and SHA-256. Reading checks every bound before
// it allocates, every hash before anything is decoded, and the signature before anything is used:
// a checkpoint holds code, so restoring one is running it.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { requireUsableKey } from './key';
import { removeStaleTempFiles, tempFileIn } from './temp-file';
import { FerryError } from '../errors';

export const MAGIC = Buffer.from('FERRYCK\n', 'latin1');
export const FORMAT_VERSION = 1;
/** The version of the manifest's contents (its `ferry` field), apart from the container's. */
export const MANIFEST_VERSION = 1;
const HEADER = 16;
const TRAILER = 64;
/** A manifest is small JSON; anything larger is not one of ours. */
const MAX_MANIFEST = 64 << 20;

export interface SectionEntry {
  name: string;
  length: number;
  sha256: string;
}

export interface ManifestBase {
  sections: SectionEntry[];
  signed: boolean;
  [key: string]: unknown;
}

export class CheckpointFormatError extends FerryError {
  readonly kind = 'bad-checkpoint';
  constructor(
    readonly code: 'not-a-checkpoint' | 'truncated' | 'version' | 'corrupt' | 'signature',
    message: string,
  ) {
    super(message);
  }
}

export function encodeCheckpoint(
  manifest: Record<string, unknown>,
  sections: Array<[string, Uint8Array]>,
  hmacKey?: Buffer,
): Buffer[] {
  if (hmacKey) requireUsableKey(hmacKey);
  const entries: SectionEntry[] = sections.map(([name, bytes]) => ({
    name,
    length: bytes.length,
    sha256: sha256(bytes),
  }));
  const manifestBytes = Buffer.from(JSON.stringify({ ...manifest, sections: entries, signed: !!hmacKey }), 'utf8');
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(FORMAT_VERSION, 8);
  header.writeUInt32LE(manifestBytes.length, 12);
  const chunks: Buffer[] = [
    header,
    manifestBytes,
    ...sections.map(([, bytes]) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
  ];
  const manifestHash = createHash('sha256').update(manifestBytes).digest();
  chunks.push(manifestHash);
  const mac = Buffer.alloc(32);
  if (hmacKey) {
    const hmac = createHmac('sha256', hmacKey);
    for (const chunk of chunks) hmac.update(chunk);
    hmac.digest().copy(mac);
  }
  chunks.push(mac);
  return chunks;
}

/**
 * Writes atomically (temp file + rename) with mode 0600: a checkpoint holds the program's secrets.
 * The temp file has a short name of its own beside the output (a name that fits leaves room for it),
 * and is removed on any failure (a full disk, a write error): nothing half-written stays behind.
 * One left by a writer that was killed is removed by the next write there (format/temp-file.ts).
 */
export function writeCheckpointFile(
  path: string,
  manifest: Record<string, unknown>,
  sections: Array<[string, Uint8Array]>,
  hmacKey?: Buffer,
): number {
  removeStaleTempFiles(dirname(path));
  const temp = tempFileIn(dirname(path));
  let size = 0;
  try {
    const fd = openSync(temp, 'wx', 0o600);
    try {
      for (const chunk of encodeCheckpoint(manifest, sections, hmacKey)) size += writeSync(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new Error(`cannot write the checkpoint ${path}: ${(error as Error).message}`);
  }
  return size;
}

export interface DecodedCheckpoint<M extends ManifestBase = ManifestBase> {
  manifest: M;
  sections: Map<string, Buffer>;
}

export interface ReadOptions {
  /** Verify the HMAC with this key, and refuse unsigned checkpoints; without a key a signed checkpoint is refused. */
  hmacKey?: Buffer;
}

export function decodeCheckpoint<M extends ManifestBase = ManifestBase>(
  bytes: Buffer,
  options: ReadOptions = {},
): DecodedCheckpoint<M> {
  const manifestLength = readHeader(bytes);
  const manifest = readManifest<M>(bytes, manifestLength);
  if (options.hmacKey) requireUsableKey(options.hmacKey);
  checkSignature(bytes, manifest, options.hmacKey);
  return { manifest, sections: readSections(bytes, manifest, HEADER + manifestLength) };
}

/** The magic number and format version checked; the manifest's length, checked against the file's. */
function readHeader(bytes: Buffer): number {
  if (bytes.length < MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new CheckpointFormatError('not-a-checkpoint', 'not a Ferry checkpoint (bad magic number)');
  }
  if (bytes.length < HEADER + TRAILER)
    throw new CheckpointFormatError(
      'truncated',
      `checkpoint truncated: ${bytes.length} bytes is shorter than any checkpoint`,
    );
  const version = bytes.readUInt32LE(8);
  if (version !== FORMAT_VERSION) {
    throw new CheckpointFormatError(
      'version',
      `checkpoint format version ${version} is not supported by this Ferry (it reads version ${FORMAT_VERSION})`,
    );
  }
  const manifestLength = bytes.readUInt32LE(12);
  if (manifestLength > MAX_MANIFEST || HEADER + manifestLength + TRAILER > bytes.length) {
    throw new CheckpointFormatError(
      'truncated',
      `checkpoint truncated: the manifest needs ${manifestLength} bytes, the file has ${bytes.length - HEADER - TRAILER}`,
    );
  }
  return manifestLength;
}

/** The manifest, once its bytes match their SHA-256: an object of a manifest version this Ferry reads, listing sections. */
function readManifest<M extends ManifestBase>(bytes: Buffer, manifestLength: number): M {
  const manifestBytes = bytes.subarray(HEADER, HEADER + manifestLength);
  const manifestHash = bytes.subarray(bytes.length - TRAILER, bytes.length - 32);
  if (!createHash('sha256').update(manifestBytes).digest().equals(manifestHash)) {
    throw new CheckpointFormatError(
      'corrupt',
      'checkpoint corrupted: the manifest does not match its SHA-256 (or the file was truncated)',
    );
  }
  let manifest: M;
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8')) as M;
  } catch {
    throw new CheckpointFormatError('corrupt', 'checkpoint corrupted: the manifest is not valid JSON');
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest))
    throw new CheckpointFormatError('corrupt', 'checkpoint corrupted: the manifest is not an object');
  checkManifestVersion(manifest.ferry);
  if (!Array.isArray(manifest.sections))
    throw new CheckpointFormatError('corrupt', 'checkpoint corrupted: the manifest lists no sections');
  return manifest;
}

/** A key given means only checkpoints signed with it are trusted: an unsigned one could be anyone's. */
function checkSignature(bytes: Buffer, manifest: ManifestBase, hmacKey: Buffer | undefined): void {
  if (!manifest.signed && !hmacKey) return;
  if (!manifest.signed)
    throw new CheckpointFormatError('signature', 'checkpoint is not signed, and a signature is required');
  if (!hmacKey)
    throw new CheckpointFormatError(
      'signature',
      'checkpoint is signed: give the key (--key-file or FERRY_KEY) to verify it',
    );
  const mac = bytes.subarray(bytes.length - 32);
  const expected = createHmac('sha256', hmacKey)
    .update(bytes.subarray(0, bytes.length - 32))
    .digest();
  if (!timingSafeEqual(expected, mac))
    throw new CheckpointFormatError(
      'signature',
      'checkpoint signature does not match: it was altered, or signed with another key',
    );
}

/** The sections the manifest lists, from `offset` on, each matching its SHA-256, and nothing after the last. */
function readSections(bytes: Buffer, manifest: ManifestBase, offset: number): Map<string, Buffer> {
  const sections = new Map<string, Buffer>();
  const end = bytes.length - TRAILER;
  for (const entry of manifest.sections) {
    if (
      typeof entry?.name !== 'string' ||
      !Number.isSafeInteger(entry.length) ||
      entry.length < 0 ||
      offset + entry.length > end
    ) {
      throw new CheckpointFormatError(
        'truncated',
        `checkpoint truncated: section "${String(entry?.name)}" runs past the end of the file`,
      );
    }
    const data = bytes.subarray(offset, offset + entry.length);
    if (sha256(data) !== entry.sha256)
      throw new CheckpointFormatError(
        'corrupt',
        `checkpoint corrupted: section "${entry.name}" does not match its SHA-256`,
      );
    sections.set(entry.name, data);
    offset += entry.length;
  }
  if (offset !== end)
    throw new CheckpointFormatError(
      'corrupt',
      `checkpoint corrupted: ${end - offset} unexpected bytes after the last section`,
    );
  return sections;
}

/** The manifest says which version of Ferry's manifest it is: one this Ferry does not know is refused, not guessed at. */
function checkManifestVersion(version: unknown): void {
  if (version === MANIFEST_VERSION) return;
  if (Number.isSafeInteger(version) && (version as number) > MANIFEST_VERSION) {
    throw new CheckpointFormatError(
      'version',
      `checkpoint manifest version ${version} is newer than this Ferry reads (version ${MANIFEST_VERSION}): restore it with the Ferry that wrote it, or a newer one`,
    );
  }
  throw new CheckpointFormatError(
    'version',
    `checkpoint manifest version ${JSON.stringify(version) ?? 'missing'} is not one this Ferry knows (it reads version ${MANIFEST_VERSION})`,
  );
}

export function readCheckpointFile<M extends ManifestBase = ManifestBase>(
  path: string,
  options: ReadOptions = {},
): DecodedCheckpoint<M> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new Error(`cannot read checkpoint ${path}: ${(error as Error).message}`);
  }
  return decodeCheckpoint<M>(bytes, options);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
