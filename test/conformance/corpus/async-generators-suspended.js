// ferry-lines: 2,5
// Async generators held in variables between pulls: one suspended at a `yield` (its locals and
// loop carried, primed again on restore), one finished; a consumer pulls with `await g.next()`
// from a timer, and sends values back in.
// (The generator awaits nothing in its body: one caught awaiting there, serving a next(), is refused.)
async function* pages(prefix) {
  let page = 0;
  let total = 0;
  while (page < 6) {
    page++;
    const got = yield `${prefix}${page}`;
    total += got ?? 0;
  }
  return total;
}
const done = (async function* () { yield 1; })();
const reader = pages('p');
let pulls = 0;
const finished = done.next().then(() => done.next());
async function pull() {
  pulls++;
  const { value, done: over } = await reader.next(pulls * 10);
  const last = await done.next();
  console.log(pulls, value, over, last.done);
  if (!over) setTimeout(pull, 120);
}
finished.then(() => setTimeout(pull, 120));
