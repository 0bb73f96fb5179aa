// A Checkpoint Here inside an async generator (here.test.ts asks for one at `yield`, line 8): not
// carried, and not stepped out of either, since a step out of an async generator aborts Node 20.
// Refused by name; the program goes on to its end, as users' request loops over `for await` must.
const requests = ['a=1', 'b=2', 'c=3', 'd=4'];
async function* incoming() {
  for (const r of requests) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    yield r;
  }
}
async function serve() {
  let n = 0;
  for await (const raw of incoming()) console.log(++n, raw);
  console.log('served', n);
}
serve();
