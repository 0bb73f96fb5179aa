// Reading and patching a WebAssembly module's binary, as far as Ferry needs: which sections it
// has (a start section refuses it), and its globals' first values set to other constants (a
// global an instance keeps to itself cannot be set from JavaScript: the instance made again at
// restore is made from a copy of its module whose globals start with the values they had).

/** A global's value to start with, by the global's index, with its type's byte (i32 0x7f, i64 0x7e, f32 0x7d, f64 0x7c). */
export interface GlobalValue {
  index: number;
  type: number;
  value: number | bigint;
}

export const VALUE_TYPES: Record<string, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };

const GLOBAL_SECTION = 6;

/** The ids of a module's sections, in order. */
export function sectionIds(bytes: Uint8Array): number[] {
  return sections(bytes).map((s) => s.id);
}

/** A copy of the module whose globals at `values`' indices start with those values instead. */
export function withGlobalValues(bytes: Uint8Array, values: GlobalValue[]): Uint8Array {
  const global = sections(bytes).find((s) => s.id === GLOBAL_SECTION);
  if (!global) throw new Error('the module has no global section');
  const r = new Reader(bytes, global.start);
  const count = r.uint();
  const body: number[] = [...uleb(count)];
  for (let index = 0; index < count; index++) {
    const type = bytes[r.at++];
    const mutable = bytes[r.at++];
    const exprStart = r.at;
    r.skipConstExpr();
    const patch = values.find((v) => v.index === index);
    if (patch && patch.type !== type) throw new Error(`global ${index} is not of type ${patch.type}`);
    body.push(type, mutable, ...(patch ? constExpr(patch) : bytes.subarray(exprStart, r.at)));
  }
  if (r.at !== global.end) throw new Error('the global section has bytes after its globals');
  return new Uint8Array([
    ...bytes.subarray(0, global.headerStart),
    GLOBAL_SECTION,
    ...uleb(body.length),
    ...body,
    ...bytes.subarray(global.end),
  ]);
}

interface Section {
  id: number;
  /** Where its id byte is, where its contents start and end. */
  headerStart: number;
  start: number;
  end: number;
}

function sections(bytes: Uint8Array): Section[] {
  const out: Section[] = [];
  const r = new Reader(bytes, 8);
  while (r.at < bytes.length) {
    const headerStart = r.at;
    const id = bytes[r.at++];
    const size = r.uint();
    out.push({ id, headerStart, start: r.at, end: r.at + size });
    r.at += size;
  }
  return out;
}

class Reader {
  constructor(
    private readonly bytes: Uint8Array,
    public at: number,
  ) {}

  uint(): number {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      if (this.at >= this.bytes.length) throw new Error('the module ends inside a number');
      const byte = this.bytes[this.at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  }

  /** Past a constant expression and its `end`: the instructions a global's first value may use. */
  skipConstExpr(): void {
    for (;;) {
      const op = this.bytes[this.at++];
      if (op === 0x0b) return; // end
      if (op === 0x41 || op === 0x42 || op === 0x23 || op === 0xd2)
        this.uint(); // i32/i64.const, global.get, ref.func
      else if (op === 0x43)
        this.at += 4; // f32.const
      else if (op === 0x44)
        this.at += 8; // f64.const
      else if (op === 0xd0)
        this.at += 1; // ref.null
      else if (op === 0xfd && this.uint() === 12)
        this.at += 16; // v128.const
      else if (!(op >= 0x6a && op <= 0x7e)) throw new Error(`an instruction 0x${op.toString(16)} in a constant`);
    }
  }
}

function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    const byte = value % 128;
    value = Math.floor(value / 128);
    out.push(value > 0 ? byte | 0x80 : byte);
  } while (value > 0);
  return out;
}

function sleb(value: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = Number(value & 0x7fn);
    value >>= 7n;
    const done = (value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function constExpr({ type, value }: GlobalValue): number[] {
  if (type === VALUE_TYPES.i32) return [0x41, ...sleb(BigInt((value as number) | 0)), 0x0b];
  if (type === VALUE_TYPES.i64) return [0x42, ...sleb(BigInt.asIntN(64, BigInt(value))), 0x0b];
  const wide = type === VALUE_TYPES.f64;
  const view = new DataView(new ArrayBuffer(wide ? 8 : 4));
  if (wide) view.setFloat64(0, Number(value), true);
  else view.setFloat32(0, Number(value), true);
  return [wide ? 0x44 : 0x43, ...new Uint8Array(view.buffer), 0x0b];
}
