// Decodes the helper's `follow` stream: [type u8][length u32 BE][bytes], see helper.ts.
export const FRAME = { stdout: 1, stderr: 2, status: 3, end: 4 } as const;

export function frameDecoder(onFrame: (type: number, payload: Buffer) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 5) {
      const length = pending.readUInt32BE(1);
      if (pending.length < 5 + length) break;
      onFrame(pending[0], pending.subarray(5, 5 + length));
      pending = pending.subarray(5 + length);
    }
  };
}
