// ferry-refuse: the async generator is suspended at an `await` inside its body
// An async generator awaiting inside its body is serving a next() whose promise its consumer
// holds; that request cannot be carried (one suspended at a `yield` can): refused, named.
async function* feed() {
  await new Promise((resolve) => setTimeout(resolve, 60_000));
  yield 'late';
}
const g = feed();
g.next().then(({ value }) => console.log('got', value));
console.log('waiting');
setInterval(() => {}, 1000);
