// ferry-lines: 2,5
// `for await` over sync iterables: a generator (whose values are promises and plain values) and a
// generator object's own iterator, with the async function suspended inside the loop's body. The
// loop iterates an Async-from-Sync Iterator JavaScript cannot hold: it is carried as the generator
// it wraps, and goes on from where it was after the restore.
function* jobs() {
  for (let i = 1; i <= 4; i++) yield i % 2 ? Promise.resolve(`job ${i}`) : `job ${i}`;
}
const tick = () => new Promise((resolve) => setTimeout(resolve, 60));
async function run(name, source) {
  for await (const job of source) {
    await tick();
    console.log(name, job);
  }
  console.log(name, 'done');
}
run('first', jobs()).then(() => run('second', jobs()[Symbol.iterator]()));
