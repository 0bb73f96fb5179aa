// ferry-lines: 2,5
// Async functions awaiting async functions: the inner one is suspended at its sleep, the outer at
// its await of the inner one's promise; a try/catch around an await catches a later rejection.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let failures = 0;
async function fetchItem(n) {
  await sleep(150);
  if (n % 4 === 0) throw new Error(`item ${n} failed`);
  return n * 10;
}
async function worker(name, count) {
  const results = [];
  for (let n = 1; n <= count; n++) {
    try {
      const value = await fetchItem(n);
      results.push(value);
      console.log(name, 'got', value);
    } catch (error) {
      failures++;
      console.log(name, 'caught', error.message);
    }
  }
  return results;
}
worker('w', 9).then((results) => console.log('results', results.join(','), 'failures', failures));
