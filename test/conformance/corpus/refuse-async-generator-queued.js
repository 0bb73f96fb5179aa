// ferry-refuse: with more next()/throw()/return() requests queued behind the one it serves
// An async generator awaiting inside its body with a second request queued: a request's kind
// (next, throw or return) is a small integer V8 keeps out of the heap snapshot, so the queue
// cannot be rebuilt: refused, named.
async function* feed() {
  await new Promise((resolve) => setTimeout(resolve, 60_000));
  yield 'late';
}
const g = feed();
g.next().then(({ value }) => console.log('got', value));
g.next().then(({ done }) => console.log('then', done));
console.log('waiting');
setInterval(() => {}, 1000);
