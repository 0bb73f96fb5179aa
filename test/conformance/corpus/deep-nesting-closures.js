// ferry-lines: 1,3
// Closures three levels deep, each level with its own mutable state, plus block-scoped loop closures.
function outer(a) {
  let calls = 0;
  return function middle(b) {
    let sum = a + b;
    return function inner(c) { calls++; sum += c; return `${a}/${b}/${c} sum=${sum} calls=${calls}`; };
  };
}
const f = outer(1)(2);
const g = outer(10)(20);
const perIteration = [];
for (let i = 0; i < 3; i++) perIteration.push(() => i * 100);
let step = 0;
const iv = setInterval(() => {
  step++;
  console.log(step, f(step), g(step * 2), perIteration.map((p) => p()).join(','));
  if (step === 7) clearInterval(iv);
}, 60);
