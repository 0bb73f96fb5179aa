// Checkpoint Here in functions that an ES module's top-level awaits wait on, and in the module's
// body itself between two of its awaits: the body (suspended below them at its await, or running)
// goes on after the restore with its loop and its bindings.
import { setTimeout as sleep } from 'node:timers/promises';

const totals = [];
async function tally(day, amounts) {
  let sum = 0;
  for (const amount of amounts) {
    await sleep(3);
    sum += amount; // @bp 2 5
  }
  totals.push(sum);
  return sum;
}

const week = { mon: [3, 4], tue: [10, 1, 2], wed: [7] };
let grand = 0;
for (const day of Object.keys(week)) {
  grand += await tally(day, week[day]);
  console.log(day, totals.at(-1), grand); // @bp 2
}
console.log('grand', grand, totals.join('+'));
