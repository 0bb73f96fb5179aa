// The stream `follow` sends from the host helper to Ferry: frames of [type u8][length u32 BE][bytes].
// Both ends import this module: host-helper/follow.ts encodes, remote/follow.ts decodes.
export const FRAME = { stdout: 1, stderr: 2, status: 3, end: 4 } as const;

const HEADER_BYTES = 5;

export function encodeFrame(type: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(HEADER_BYTES);
  head[0] = type;
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

export function frameDecoder(onFrame: (type: number, payload: Buffer) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= HEADER_BYTES) {
      const length = pending.readUInt32BE(1);
      if (pending.length < HEADER_BYTES + length) break;
      onFrame(pending[0], pending.subarray(HEADER_BYTES, HEADER_BYTES + length));
      pending = pending.subarray(HEADER_BYTES + length);
    }
  };
}
