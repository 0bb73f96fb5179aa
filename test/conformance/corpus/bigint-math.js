// ferry-lines: 1,3
// BigInt accumulators, a BigInt64Array, factorials and Fibonacci past 2^64.
let fact = 1n;
let [a, b] = [0n, 1n];
const history = new BigInt64Array(8);
let step = 0;
const iv = setInterval(() => {
  step++;
  for (let i = 0; i < 5; i++) [a, b] = [b, a + b];
  fact *= BigInt(step * 7);
  history[step] = fact % 1000000007n;
  console.log(step, fact.toString().length, a, history[step], typeof fact);
  if (step === 7) clearInterval(iv);
}, 60);
