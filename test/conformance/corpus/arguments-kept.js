// ferry-lines: 1,3
// `arguments` objects kept past their call that map no parameter: strict code's (a plain copy) and a
// sloppy function's without parameters. Each restores as what it held, iterable as before.
function strictCall(a, b) {
  'use strict';
  return arguments;
}
function sloppyCollect() {
  return arguments;
}
const kept = [strictCall(1, 'two'), sloppyCollect('x', 'y', 'z')];
let step = 0;
const iv = setInterval(() => {
  step++;
  kept[0][0] += step;
  kept[1][1] = `${kept[1][1]}${step}`;
  console.log(step, [...kept[0]].join(','), Array.from(kept[1]).join(','), kept[1].length);
  if (step === 5) clearInterval(iv);
}, 60);
