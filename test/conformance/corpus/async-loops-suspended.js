// ferry-lines: 2,5,8,10
// An async function suspended at an await inside for-of loops of every kind it can go on from:
// over an array (its position from the loop variable's current element), a Map with destructuring
// and a Set (their remaining entries), a generator, and a for-await over an async generator (each
// its own rest), and one loop nested in another.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const jobs = [{ id: 'j1' }, { id: 'j2' }, { id: 'j3' }];
const owners = new Map([['alice', 2], ['bob', 1], ['carol', 3]]);
function* numbers() { yield 10; yield 20; }
async function* feed() { yield 'f1'; yield 'f2'; }
async function work() {
  for (const job of jobs) {
    await sleep(80);
    console.log('job', job.id);
  }
  for (const [name, n] of owners) {
    await sleep(80);
    console.log('owner', name, n);
  }
  for (const x of numbers()) {
    await sleep(80);
    console.log('number', x);
  }
  for await (const f of feed()) {
    await sleep(80);
    console.log('feed', f);
  }
  for (const tag of new Set(['red', 'blue'])) {
    for (const job of jobs) {
      await sleep(80);
      console.log('tagged', tag, job.id);
    }
  }
  return 'done';
}
work().then((result) => console.log(result));
