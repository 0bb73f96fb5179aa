// A Checkpoint Here in the first of three listeners of an event, emitted by a timer's callback:
// the restore plays the rest of that emit() (the listeners behind it, the `once` one removed).
// Node 24's emit() loops over its listener array itself, Node 20's and 22's over a clone of it.
const { EventEmitter } = require('events');
const job = new EventEmitter();
job.on('step', (n) => {
  console.log('first', n); // @bp 1
});
job.on('step', (n) => console.log('second', n));
job.once('step', (n) => console.log('third, once', n));
setTimeout(() => {
  job.emit('step', 1);
  console.log('after the first emit:', job.listenerCount('step'), 'listeners');
  job.emit('step', 2);
}, 10);
