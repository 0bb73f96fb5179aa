'use strict';
// For-of loops over an array's own iterators, `list.entries()`, `.keys()`, `.values()`, with a
// breakpoint in their body: the position comes from the `const` loop variable (the index of
// `[i, x]` or `k`, the element of `x`), and the restored loop runs the restored array's own
// iterator from there, live, so elements its body adds after the checkpoint are iterated too.
// A loop over a call with side effects (`drain()`) is not read again on the paused frame: Ferry
// steps on past it instead. Holes of patterns and array literals after the breakpoint (`[, word]`,
// `[1, , 3]`) stay holes in the resumed code. `@to LINE` says where the checkpoint is taken.
const steps = ['fetch', 'parse', 'fetch', 'store'];
const log = [];

function record(i, step) {
  log.push(`${i}:${step}`); // @bp 3
  return step.length;
}

function runSteps() {
  let total = 0;
  for (const [i, step] of steps.entries()) {
    total += record(i, step);
    if (step === 'parse') steps.push('verify');
    log.push(`done ${i}`); // @bp 1 3
  }
  return total;
}

function indexes(list) {
  const seen = [];
  for (const k of list.keys()) {
    seen.push(k * 10); // @bp 2
  }
  for (const [, word] of ['x', 'y', 'x'].entries()) seen.push(word);
  seen.push([1, , 3].length, 1 in [1, , 3]);
  for (const word of list.values()) {
    seen.push(word.toUpperCase()); // @bp 2
  }
  return seen.join(' ');
}

const queue = ['a', 'b'];
let drained = 0;
function drain() {
  drained++;
  return queue.splice(0);
}

function work() {
  for (const job of drain()) {
    log.push(`job ${job}`); // @bp 2 @to 51
  }
  log.push(`drained ${drained}`);
}

console.log('total', runSteps());
console.log('indexes', indexes(['p', 'q', 'p']));
work();
setTimeout(() => console.log(log.join(',')), 5);
