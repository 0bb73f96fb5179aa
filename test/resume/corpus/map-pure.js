'use strict';
// map with a side-effect-free inline callback: earlier results are recomputed honestly.
function main(xs) {
  const doubled = xs.map((x, i) => {
    const y = x * 2 + i; // @bp 2 4
    return y;
  });
  console.log(doubled.join(','));
  return doubled.length;
}
console.log(main([5, 6, 7, 8, 9]));
