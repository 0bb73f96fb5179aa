'use strict';
// Checkpoint Here inside promise reactions: a `.then` callback (with other reactions queued
// behind it in the same microtask turn, and an async function's await about to go on), and an
// async function paused after an await. The chain goes on from the restored reaction, and the
// queued reactions still run, in order. (Reactions queued with a small integer, undefined, null
// or a boolean are refused: a heap snapshot does not show those values. These carry objects.)
const log = [];

function double(box) {
  const doubled = { n: box.n * 2 }; // @bp 1 2 3
  log.push(doubled.n);
  console.log(`double ${box.n} -> ${doubled.n}`);
  return doubled;
}

async function total(values) {
  let sum = 0;
  for (const n of values) {
    const got = await Promise.resolve({ n }).then(double);
    sum += got.n; // @bp 2
    console.log(`sum ${sum}`);
  }
  return { sum };
}

const first = Promise.resolve({ n: 1 }).then(double);
const second = Promise.resolve({ n: 10 }).then(double);
first.then((v) => console.log('first settled', v.n));
second.then((v) => console.log('second settled', v.n));
total([3, 4, 5]).then((result) => console.log('total', result.sum, 'log', log.join(',')));
