'use strict';
// An async function calling a sync helper chain during its synchronous part.
function inner(x) { console.log('inner', x); return x * 3; } // @bp 2
function outer(x) { const y = inner(x) + 1; return y; }
async function job(xs) {
  const out = [];
  for (const x of xs) {
    out.push(outer(x));
    await Promise.resolve();
  }
  console.log('out', out.join(','));
}
job([1, 2, 3]);
