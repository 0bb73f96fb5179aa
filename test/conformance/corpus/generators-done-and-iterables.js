// ferry-lines: 1,3
// Generator functions and iterable classes (the functions, not suspended generator objects).
function* range(n) { for (let i = 0; i < n; i++) yield i; }
class Bag { constructor() { this.items = []; } *[Symbol.iterator]() { yield* this.items; } }
const bag = new Bag();
let step = 0;
const iv = setInterval(() => {
  step++;
  bag.items.push(step);
  console.log(step, [...range(step)].join(','), [...bag].join('+'));
  if (step === 7) clearInterval(iv);
}, 60);
