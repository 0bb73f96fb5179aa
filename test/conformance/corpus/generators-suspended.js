// ferry-lines: 2,5
// Generators suspended at a yield, held in variables and consumed by an interval: after restore
// they go on from their yield with their locals (loop counters, an accumulator), a value sent
// with next(v) arrives at that yield, and return() runs their finally block.
function* fibonacci() {
  let [a, b] = [0, 1];
  for (;;) {
    yield a;
    [a, b] = [b, a + b];
  }
}
function* accumulator(label) {
  let total = 0;
  try {
    for (let round = 1; ; round++) {
      const added = yield `${label} round ${round} total ${total}`;
      total += added;
    }
  } finally {
    console.log(`${label} closed at ${total}`);
  }
}
const fib = fibonacci();
const acc = accumulator('acc');
acc.next();
const done = (function* () { yield 1; })();
done.next();
done.next();
let tick = 0;
const iv = setInterval(() => {
  tick++;
  console.log(tick, fib.next().value, acc.next(tick * 3).value, done.next().done);
  if (tick === 8) {
    acc.return();
    clearInterval(iv);
  }
}, 120);
