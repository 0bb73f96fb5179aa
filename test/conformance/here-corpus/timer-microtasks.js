'use strict';
// Checkpoint Here inside timer callbacks with work queued behind the paused code: a queueMicrotask
// callback alone, a promise reaction alone (its promise held by nothing but V8's queue), and only
// process.nextTick callbacks. The capture reads V8's microtask queue (a heap snapshot) only when
// something may be queued there (capture/agent/queues.ts): each queued callback must still run
// after the restore, in order. One timer at a time: each arms the next.
const order = [];

function onlyQueueMicrotask() {
  queueMicrotask(() => order.push('queued microtask'));
  order.push('timer 1'); // @bp 1
  setTimeout(onlyReaction, 1);
}

function onlyReaction() {
  Promise.resolve({ n: 2 }).then((box) => order.push(`reaction ${box.n}`));
  order.push('timer 2'); // @bp 1
  setTimeout(onlyTicks, 1);
}

function onlyTicks() {
  process.nextTick((word) => order.push(`tick ${word}`), 'three');
  order.push('timer 3'); // @bp 1
  setTimeout(() => console.log('order', order.join(', ')), 1);
}

setTimeout(onlyQueueMicrotask, 1);
