// ferry-lines: 2,4
// Node's FastBuffer, the class Buffer[Symbol.species] gives, kept by a module as undici keeps it
// (`const FastBuffer = Buffer[Symbol.species]`) to make buffers without a copy: named as Node's own.
const FastBuffer = Buffer[Symbol.species];
const chunks = [];
let n = 0;
const iv = setInterval(() => {
  n++;
  const bytes = new Uint8Array([0x40 + n, 0x40 + n + 1]);
  const buf = new FastBuffer(bytes.buffer, 0, bytes.length);
  chunks.push(buf);
  console.log(n, buf.toString('latin1'), Buffer.isBuffer(buf), Buffer.concat(chunks).length, FastBuffer === Buffer[Symbol.species]);
  if (n === 6) clearInterval(iv);
}, 20);
