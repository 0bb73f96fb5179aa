'use strict';
function* gen() { let q = 1; const r = yield q; q += r; yield q; const z = 2 + (yield 7); }
function* outer() { yield* gen(); }
async function af() { let w = 5; await null; w++; const v = await new Promise(() => {}); return v + w; }
const g1 = gen(); g1.next();
const g2 = gen(); g2.next(); g2.next(1);
const g3 = gen(); g3.next(); g3.next(1); g3.next(2);
const g4 = outer(); g4.next();
const p = af();
setTimeout(() => { debugger; return [g1, g2, g3, g4, p]; }, 10);
