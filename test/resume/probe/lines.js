'use strict';
function work(n) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const t = i * 2;
    s += t;
  }
  for (const k in { a: 1 }) { s += k.length; }
  let j = 0;
  while (j < 2) { j++; }
  do { j--; } while (j > 0);
  switch (n) {
    case 2: s++;
    default: s--;
  }
  try { s++; } catch (e) { s--; } finally { s += 0; }
  const obj = { s };
  const { s: z } = obj;
  return s + z;
}
work(2);
function* gen() { let q = 1; const r = yield q; q += r; yield q; }
const g = gen(); g.next();
async function af() { let w = 5; await null; w++; const v = await new Promise(() => {}); return v + w; }
af();
setTimeout(() => { debugger; }, 10);
