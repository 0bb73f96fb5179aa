// The HMAC key that signs checkpoints: where it comes from, what is accepted, and how it reaches
// the restore runtime. The one place for the rule "--key-file, else FERRY_KEY, else unsigned".
//
// A key is the file's (or FERRY_KEY's) bytes without trailing line ends (\n, \r\n): `--key-file F`
// and FERRY_KEY="$(cat F)" are the same key. It must then have at least MIN_KEY_BYTES bytes: an
// empty or short key makes a signature anyone can forge, so it is refused, at signing and verifying.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MIN_KEY_BYTES = 16;

/** The key: --key-file (read once: a FIFO or `<(cat F)` works), else FERRY_KEY, else none (unsigned). */
export function checkpointKey(keyFile?: string): Buffer | undefined {
  if (keyFile) return readKeyFile(keyFile);
  const fromEnv = process.env.FERRY_KEY;
  if (fromEnv === undefined) return undefined;
  if (fromEnv === '')
    throw new Error(
      `FERRY_KEY is set but empty: unset it to work unsigned, or give a key of at least ${MIN_KEY_BYTES} bytes`,
    );
  return usableKey(Buffer.from(fromEnv), 'FERRY_KEY');
}

/**
 * Read into memory of its own, zeroed after: Node's readFileSync would leave copies of the key in
 * recycled buffers a program (the restored one, in the restore runtime) may be handed later.
 */
export function readKeyFile(path: string): Buffer {
  const read = Buffer.alloc(MAX_KEY_FILE_BYTES);
  try {
    const length = readOnce(path, read);
    const key = Buffer.alloc(length); // Buffer.alloc takes nothing from Node's shared pool
    read.copy(key, 0, 0, length);
    return usableKey(key, `the key in ${path}`);
  } finally {
    read.fill(0);
  }
}

/** Reads a file (a FIFO too) into `into`, once; its length. */
function readOnce(path: string, into: Buffer): number {
  try {
    const fd = openSync(path, 'r');
    let length = 0;
    try {
      for (let n; length < into.length && (n = readSync(fd, into, length, into.length - length, null)) > 0;)
        length += n;
    } finally {
      closeSync(fd);
    }
    return length;
  } catch (error) {
    throw new Error(`cannot read the key file ${path}: ${(error as Error).message}`);
  }
}

/** A key file is a key: anything longer is not read. */
const MAX_KEY_FILE_BYTES = 64 * 1024;

/** Throws unless key is long enough to sign with; `what` names it in the message. */
export function requireUsableKey(key: Buffer, what = 'the signing key'): void {
  if (key.length < MIN_KEY_BYTES) {
    throw new Error(
      `${what} is ${key.length} bytes: a signing key needs at least ${MIN_KEY_BYTES} (make one with: head -c 32 /dev/urandom | base64 > KEYFILE)`,
    );
  }
}

function usableKey(bytes: Buffer, what: string): Buffer {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end--;
  const key = bytes.subarray(0, end);
  requireUsableKey(key, what);
  return key;
}

export interface KeyPipe {
  /** Give this to the restore runtime as --key-file: it reads the key from it once. */
  path: string;
  /** Call once the process has ended or could not start: a key nobody read is dropped, the FIFO removed. */
  close(): void;
}

/**
 * Hands the key to one local process through a FIFO in a private directory: never in its
 * environment or on its command line (which other users can read), never on disk. The writer
 * waits (asynchronously) for the reader to open the FIFO, writes the key and closes it.
 */
export function keyPipe(key: Buffer): KeyPipe {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-key-'));
  const path = join(dir, 'key');
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    execFileSync('mkfifo', ['-m', '600', path], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    remove();
    throw new Error(`cannot make a pipe to pass the checkpoint key: ${(error as Error).message}`);
  }
  let handed = false;
  const writing = writeOnce(path, key)
    .catch(() => undefined)
    .finally(() => {
      handed = true;
      remove();
    });
  return {
    path,
    close() {
      if (handed) return;
      // Be the reader that never came, until the writer is done: its open returns (now, or when it
      // gets there; once the FIFO is removed it fails instead), and what it writes goes nowhere.
      const reader = openIfThere(path);
      remove();
      void writing.finally(() => reader !== undefined && closeSync(reader));
    },
  };
}

function openIfThere(path: string): number | undefined {
  try {
    return openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined; // gone: the writer finished
  }
}

async function writeOnce(path: string, key: Buffer): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(key);
  } finally {
    await handle.close();
  }
}
