// ferry-lines: 1,2
// Large typed arrays and a large Buffer (megabytes): carried as bytes, their few named properties kept.
const big = new Float64Array(2e6).fill(1.5);
const buf = Buffer.alloc(3e6, 7);
const named = new Uint8Array(10);
named.tag = 'x';
let n = 0;
const iv = setInterval(() => {
  n++;
  big[n] = n;
  buf[n] = n;
  console.log(n, big[n] + big[n + 1], buf[n], buf[n + 1], named.tag, named.length, big.length, buf.length);
  if (n === 4) clearInterval(iv);
}, 300);
