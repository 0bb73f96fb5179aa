// Growable varint writer used by the agent inside the target: one typed array, amortised growth.
export class ByteWriter {
  private bytes = new Uint8Array(1 << 16);
  private view = new DataView(this.bytes.buffer);
  length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
    this.view = new DataView(next.buffer);
  }

  byte(value: number): void {
    if (this.length === this.bytes.length) this.ensure(1);
    this.bytes[this.length++] = value;
  }

  /** Unsigned LEB128, for values up to 2^53. */
  uint(value: number): void {
    if (this.length + 8 > this.bytes.length) this.ensure(8);
    const bytes = this.bytes;
    if (value < 0x80) {
      bytes[this.length++] = value; // the common case: small ids, counts, string indices
      return;
    }
    let n = value;
    // Bit operations while the value fits in 31 bits, division beyond (up to 2^53).
    while (n >= 0x80000000) {
      bytes[this.length++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    while (n >= 0x80) {
      bytes[this.length++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    bytes[this.length++] = n;
  }

  double(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  raw(data: Uint8Array): void {
    this.ensure(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  result(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

/** Strings are collected and joined once: far cheaper than encoding each into the byte stream. */
export class StringTable {
  private readonly index = new Map<string, number>();
  readonly strings: string[] = [];

  /** Interned: for property names and other repeated strings. */
  intern(value: string): number {
    let id = this.index.get(value);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(value);
      this.index.set(value, id);
    }
    return id;
  }

  /** Not interned: for string values, which rarely repeat. */
  add(value: string): number {
    this.strings.push(value);
    return this.strings.length - 1;
  }
}

/**
 * The string blob: lengths (UTF-16 units) as varints, then all text in one piece, latin1 when every
 * character fits in a byte (the common case, and as small as V8's own one-byte strings), else UTF-16.
 */
export function encodeStrings(
  strings: string[],
  toBytes: (text: string, encoding: 'latin1' | 'utf16le') => Uint8Array,
): Uint8Array {
  const lengths = new ByteWriter();
  lengths.uint(strings.length);
  for (let i = 0; i < strings.length; i++) lengths.uint(strings[i].length);
  const text = strings.join('');
  const wide = needsTwoBytes(text);
  const body = toBytes(text, wide ? 'utf16le' : 'latin1');
  const out = new ByteWriter();
  out.byte(wide ? 1 : 0);
  out.uint(lengths.length);
  out.raw(lengths.result());
  out.raw(body);
  return out.result();
}

/** Whether a string has a code unit above 0xff, so that Latin-1 cannot hold it (V8's two-byte strings). */
export function needsTwoBytes(text: string): boolean {
  return /[\u0100-\uffff]/.test(text);
}
