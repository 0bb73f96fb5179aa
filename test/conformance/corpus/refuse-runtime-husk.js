// ferry-refuse: body: a ReadableStream, an object of the runtime whose state Ferry cannot read
// A web stream keeps its state where copying properties cannot reach: refused by path, never
// restored as an empty shell whose methods throw.
const state = { body: new ReadableStream({ start(controller) { controller.enqueue('x'); } }) };
console.log('made');
setInterval(() => state.body.locked, 1000);
