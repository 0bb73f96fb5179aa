// ferry-lines: 1,5,12,19
// Promise.all, allSettled and any caught part way, with some inputs settled (their values kept by
// the combinator where JS cannot see them) and others waiting on timers; race; one promise given
// twice; a Promise.all of a Promise.all; an async function awaiting a Promise.all. Every input
// settles on its own timer, 150 ms apart, and says so.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let line = 0;
const log = (...parts) => console.log(String(++line).padStart(2), ...parts);
const settle = (ms, value) => sleep(ms).then(() => { log('settle', ms); return value; });
const fail = (ms, why) => sleep(ms).then(() => { log('fail', ms); throw new Error(why); });

async function main() {
  const [a, b, c, d] = await Promise.all([settle(150, { a: 1 }), settle(600, 'two'), 'now', settle(1050, [4.5])]);
  log('all', JSON.stringify({ a, b, c, d }));
}
main();
Promise.allSettled([settle(300, 7), fail(750, 'no'), settle(1200, undefined)])
  .then((results) => log('allSettled', JSON.stringify(results.map((r) => r.status === 'fulfilled' ? r.value ?? null : r.reason.message))));
Promise.any([fail(450, 'x'), fail(900, 'y'), settle(1350, 'won')]).then((value) => log('any', value));
Promise.any([fail(1500, 'p'), fail(1650, 'q')])
  .catch((error) => log('any rejected', error.constructor.name, error.message, error.errors.map((e) => e.message).join()));
Promise.race([settle(1950, 'slow'), settle(1800, 'fast')]).then((value) => log('race', value));
const same = settle(2100, 'same');
Promise.all([same, same, 'x']).then((values) => log('twice', values.join()));
Promise.all([Promise.all([settle(2250, 'in1'), settle(2400, 'in2')]), settle(2550, 'out')])
  .then((values) => log('nested', JSON.stringify(values)));
