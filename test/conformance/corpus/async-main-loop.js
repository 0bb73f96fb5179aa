// ferry-lines: 2,6
// An async main loop awaiting a timer-backed sleep: checkpointed while suspended at the await, it
// goes on after restore with its locals (including per-iteration let), and main()'s promise
// still reaches its .then.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function main(label) {
  let total = 0;
  const seen = [];
  for (let i = 1; i <= 10; i++) {
    await sleep(150);
    total += i;
    seen.push(i * i);
    console.log(label, i, total, seen.length);
  }
  return { total, last: seen[seen.length - 1] };
}
main('step').then((result) => console.log('done', result.total, result.last));
