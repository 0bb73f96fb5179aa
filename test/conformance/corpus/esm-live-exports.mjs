// ferry-lines: 2,5
// ES module live bindings: named imports (one under an alias) and a namespace read a counter
// module's exported `let`s, which its own functions reassign; after a restore, both still see
// every change, not the values they had at the checkpoint.
import { count, last, tick, total, reset, fixed } from './esm-live-exports/counter.mjs';
import * as counter from './esm-live-exports/counter.mjs';

let round = 0;
const timer = setInterval(() => {
  round++;
  const hidden = tick(`r${round}`);
  console.log(round, hidden, count, last, total, counter.count, counter.last, counter.total, fixed, Object.keys(counter).join());
  if (round === 4) reset();
  if (round === 7) {
    clearInterval(timer);
    console.log('end', count, counter.count, Object.isFrozen(counter), Object.getOwnPropertyDescriptor(counter, 'fixed').value);
  }
}, 110);
