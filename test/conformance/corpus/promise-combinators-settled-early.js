// ferry-lines: 1,2,3,4,5,6
// Combinators whose promise settled before all inputs did: a Promise.all rejected by its first input,
// a Promise.any fulfilled by its first, their other inputs still pending; and a promise's resolve
// function, kept by a timer after it was used, which does nothing when called again.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let line = 0;
const log = (...parts) => console.log(String(++line).padStart(2), ...parts);
const settle = (ms, value) => sleep(ms).then(() => { log('settle', ms); return value; });
const fail = (ms, why) => sleep(ms).then(() => { log('fail', ms); throw new Error(why); });
Promise.all([fail(150, 'early'), settle(450, 'late')]).then((values) => log('never', values), (error) => log('all rejected', error.message));
Promise.any([settle(300, 'first'), fail(600, 'late')]).then((value) => log('any', value));
let resolveOnce;
const once = new Promise((resolve) => { resolveOnce = resolve; });
resolveOnce('first');
setTimeout(() => { resolveOnce('again'); once.then((value) => log('once', value)); }, 750);
settle(900, 'end');
