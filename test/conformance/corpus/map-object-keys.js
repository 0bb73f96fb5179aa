// ferry-lines: 1,3
// Maps keyed by objects and functions, Sets of arrays: keys keep their identity.
const alice = { name: 'alice' };
const bob = { name: 'bob' };
function greet(p) { return `hi ${p.name}`; }
const visits = new Map([[alice, 0], [bob, 0]]);
const handlers = new Map([[greet, 'greeting']]);
const pairs = new Set([[alice, bob]]);
let step = 0;
const iv = setInterval(() => {
  step++;
  visits.set(step % 2 ? alice : bob, visits.get(step % 2 ? alice : bob) + 1);
  const [first] = pairs;
  console.log(step, visits.get(alice), visits.get(bob), handlers.get(greet), greet(first[0]), first[1] === bob, visits.has({ name: 'alice' }));
  if (step === 7) clearInterval(iv);
}, 60);
