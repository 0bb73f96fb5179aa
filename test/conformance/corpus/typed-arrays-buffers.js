// ferry-lines: 1,3
// ArrayBuffers shared by several views, typed arrays, DataView, Buffer.
const buf = new ArrayBuffer(16);
const u8 = new Uint8Array(buf);
const u32 = new Uint32Array(buf, 4, 2);
const view = new DataView(buf, 8);
const f64 = new Float64Array([1.5, -2.25]);
const big = new BigInt64Array([1n, -1n]);
const nodeBuf = Buffer.from('hello ferry');
let step = 0;
const iv = setInterval(() => {
  step++;
  u8[0] += step;
  u32[0] += 1000;
  view.setInt16(0, -step);
  nodeBuf[0] = 104 + step;
  console.log(step, Array.from(u8).join(','), u32[0], view.getInt16(0), f64[1], big[1], nodeBuf.toString(), u32.buffer === u8.buffer, Buffer.isBuffer(nodeBuf));
  if (step === 7) clearInterval(iv);
}, 60);
