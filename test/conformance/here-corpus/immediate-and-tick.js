'use strict';
// Checkpoint Here inside an immediate (where `this` is the Immediate, with another one queued in
// the same turn) and inside process.nextTick callbacks (with more ticks queued behind the paused
// one). After the restore the queued ones run in the same order, as if never stopped.
const order = [];

function onImmediate(name) {
  order.push(name);
  const line = `immediate ${name} ${this.constructor.name} ${typeof this.hasRef}`; // @bp 1 2
  console.log(line);
  if (name === 'first') process.nextTick(onTick, 'a', 1);
}

function onTick(name, depth) {
  order.push(`${name}${depth}`);
  console.log(`tick ${name} depth ${depth}`); // @bp 1 3
  if (depth < 3) process.nextTick(onTick, name, depth + 1);
  if (depth === 1) process.nextTick(onTick, 'b', 2);
}

setImmediate(onImmediate, 'first');
setImmediate(onImmediate, 'second');
setImmediate(() => console.log('order', order.join(' ')));
