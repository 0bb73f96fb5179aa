// ferry-lines: 1,3
// Closures made in loops: per-iteration `let` bindings versus one shared `var`.
const withLet = [];
const withVar = [];
for (let i = 0; i < 3; i++) withLet.push(() => i++);
for (var j = 0; j < 3; j++) withVar.push(() => j++);
let step = 0;
const iv = setInterval(() => {
  step++;
  console.log(step, withLet.map((f) => f()).join(','), withVar.map((f) => f()).join(','));
  if (step === 7) clearInterval(iv);
}, 60);
