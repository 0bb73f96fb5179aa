'use strict';
// Pending calls inside destructuring declarations and spreads of already-computed parts.
function pair(i) { console.log('pair', i); return [i, i * i]; } // @bp 2
function obj(i) { return { x: i, y: -i, rest: [i, i + 1] }; }
function main() {
  const out = [];
  for (let i = 1; i <= 3; i++) {
    const [a, b] = pair(i);
    const { x, y, rest: [r0, r1] } = obj(a + b); // @bp 2
    out.push([a, b, x, y, r0, r1].join(':'));
  }
  return out;
}
console.log(main().join(' | '));
