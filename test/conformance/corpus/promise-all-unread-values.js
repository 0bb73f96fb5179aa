// ferry-lines: 2,5
// Promise.all over async steps that return nothing, awaited as a statement, or followed by a handler
// taking no value (through a .catch() that passes the value on): the values settled so far are
// undefined, which a heap snapshot does not show, but nothing reads them, so the Promise.all is
// carried with the places still pending.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = [];
async function step(name, ms) {
  await sleep(ms);
  log.push(name);
  console.log('done', name);
}
async function batch() {
  await Promise.all([step('a', 20), step('b', 150), step('c', 300)]);
  console.log('batch', log.join(''));
  Promise.all([step('d', 20), step('e', 150)])
    .catch((error) => console.log('failed', error))
    .then(() => console.log('second batch', log.join('')));
}
batch();
