// ferry-lines: 1
// A `once` listener ahead of others on one event, fired after the checkpoint: it removes itself
// while emit() runs over the array of them, and the listeners behind it must still be called
// (Node 24 counts the emit() loops on that array: snapshot/heap/listener-arrays.ts).
const { EventEmitter } = require('events');
const job = new EventEmitter();
job.once('step', (n) => console.log(`once: step ${n}`));
job.on('step', (n) => console.log(`every: step ${n}`));
job.once('step', (n) => console.log(`once, behind: step ${n}`));
job.on('step', (n) => console.log(`every, last: step ${n}`));
console.log(`listening: ${job.listenerCount('step')}`);
let step = 0;
const iv = setInterval(() => {
  step++;
  job.emit('step', step);
  console.log(`listeners left: ${job.listenerCount('step')}`);
  if (step === 3) clearInterval(iv);
}, 30);
