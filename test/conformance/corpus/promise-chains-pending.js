// ferry-lines: 1,3
// Pending promises with then/catch chains, and a resolve function kept in a variable that an
// interval calls later: reactions run in their order after restore, derived promises settle.
let release;
const gate = new Promise((resolve) => { release = resolve; });
const doubled = gate.then((v) => v * 2);
const described = doubled.then((v) => `doubled to ${v}`);
described.then((text) => console.log('chain:', text));
gate.then((v) => console.log('first reaction', v));
const failing = new Promise((_, reject) => setTimeout(() => reject(new Error('late failure')), 625));
failing.catch((e) => console.log('caught:', e.message)).then(() => console.log('after catch'));
let ticks = 0;
const iv = setInterval(() => {
  ticks++;
  console.log('tick', ticks);
  if (ticks === 5) release(21);
  if (ticks === 8) clearInterval(iv);
}, 250); // 125 ms from the rejection on either side: their order holds under load
