// ferry-lines: 1,3
// Promises settled by other pending promises: an async function returning one, resolve(p), and a
// then-handler that is a bound function.
console.log('started'); // first: the first write to stdout can take long enough to reorder the timers below
const sleep = (ms, v) => new Promise((resolve) => setTimeout(() => resolve(v), ms));
async function later(v) {
  return sleep(300, v * 2); // returns a pending promise: this function's promise follows it
}
const outer = new Promise((resolve) => resolve(later(5))); // resolved with a pending promise
const logger = { prefix: 'bound', log(v) { console.log(this.prefix, v); return v + 1; } };
outer.then(logger.log.bind(logger)).then((v) => console.log('chained', v));
sleep(450, 42).then((v) => console.log('direct', v));
setTimeout(() => console.log('tick 150'), 150);
setTimeout(() => console.log('tick 600'), 600);
