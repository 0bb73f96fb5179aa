// A minimal ustar writer: the blobs of one sync travel as one tar stream through one SSH channel
// and are unpacked by the host's own `tar`, whatever its flavour.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

export interface TarEntry {
  name: string;
  size: number;
  /** A file to read, or the bytes themselves. */
  source: string | Buffer;
}

export function tarStream(entries: TarEntry[]): Readable {
  return Readable.from(generate(entries), { objectMode: false });
}

async function* generate(entries: TarEntry[]): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    yield header(entry.name, entry.size);
    let written = 0;
    const chunks = typeof entry.source === 'string' ? createReadStream(entry.source) : [entry.source];
    for await (const chunk of chunks) {
      written += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
    // A file that changed size since it was hashed would corrupt every entry after it.
    if (written !== entry.size)
      throw new Error(
        `${typeof entry.source === 'string' ? entry.source : entry.name} changed while it was being sent`,
      );
    if (entry.size % 512) yield Buffer.alloc(512 - (entry.size % 512));
  }
  yield Buffer.alloc(1024);
}

function header(name: string, size: number): Buffer {
  if (Buffer.byteLength(name) > 99) throw new Error(`tar name too long: ${name}`);
  if (size >= 8 ** 11) throw new Error(`${name} is too large for one tar entry (${size} bytes)`);
  const block = Buffer.alloc(512);
  const octal = (value: number, width: number) => `${value.toString(8).padStart(width - 1, '0')}\0`;
  block.write(name, 0, 'utf8');
  block.write(octal(0o644, 8), 100);
  block.write(octal(0, 8), 108);
  block.write(octal(0, 8), 116);
  block.write(octal(size, 12), 124);
  block.write(octal(Math.floor(Date.now() / 1000), 12), 136);
  block.write('        ', 148); // the checksum is computed with its own field as spaces
  block.write('0', 156);
  block.write('ustar\0', 257);
  block.write('00', 263);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}
