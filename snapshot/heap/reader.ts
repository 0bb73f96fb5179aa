// Bounds-checked reader for the heap encoding; every read past the end is a clear error, never garbage.
import { FerryError } from '../errors';
export class HeapFormatError extends FerryError {
  readonly kind = 'bad-checkpoint';
}

export class ByteReader {
  private readonly view: DataView;
  offset = 0;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  byte(): number {
    if (this.offset >= this.bytes.length) throw new HeapFormatError('heap section truncated');
    return this.bytes[this.offset++];
  }

  uint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 0x80;
    }
    throw new HeapFormatError('malformed varint in heap section');
  }

  double(): number {
    if (this.offset + 8 > this.bytes.length) throw new HeapFormatError('heap section truncated');
    const value = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return value;
  }

  slice(length: number): Uint8Array {
    if (length > this.bytes.length - this.offset) throw new HeapFormatError('heap section truncated');
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }
}

/** A string table's parts (writer.ts encodeStrings): its encoding, its lengths still to read, its text's bytes. */
export function stringTable(bytes: Uint8Array): {
  wide: boolean;
  count: number;
  lengths: ByteReader;
  lengthsSize: number;
  text: Uint8Array;
} {
  const reader = new ByteReader(bytes);
  const wide = reader.byte() === 1;
  const lengthsSize = reader.uint();
  const lengths = new ByteReader(reader.slice(lengthsSize));
  const count = lengths.uint();
  return { wide, count, lengths, lengthsSize, text: bytes.subarray(reader.offset) };
}

export function decodeStrings(
  bytes: Uint8Array,
  toText: (bytes: Uint8Array, encoding: 'latin1' | 'utf16le') => string,
): string[] {
  const table = stringTable(bytes);
  const { count, lengths, lengthsSize } = table;
  const text = toText(table.text, table.wide ? 'utf16le' : 'latin1');
  if (count > text.length + 1 && count > lengthsSize)
    throw new HeapFormatError('string table count is larger than its data');
  const strings = new Array<string>(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const length = lengths.uint();
    if (at + length > text.length) throw new HeapFormatError('string table truncated');
    strings[i] = text.slice(at, at + length);
    at += length;
  }
  return strings;
}
