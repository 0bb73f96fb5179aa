'use strict';
// Pending call in a conditional's branch and in a logical right-hand side.
function expensive(x) { console.log('expensive', x); return x * 7; } // @bp 1 2 3
function pick(xs) {
  const out = [];
  for (const x of xs) {
    const v = x > 2 ? expensive(x) : -x;
    const w = v > 20 && expensive(v);
    out.push(`${v}/${w}`);
  }
  return out.join(' ');
}
console.log(pick([1, 3, 2, 5]));
