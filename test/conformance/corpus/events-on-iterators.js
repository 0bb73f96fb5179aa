// ferry-lines: 1,3,6,9
// events.on() iterators: one holding unread events (their arguments), read after the restore, and
// finished by a close event; a for-await loop waiting for the next event; one whose emitter emitted
// 'error' (the next read rejects, after the unread events); next() calls waiting for an event,
// held by the program (one with a then() on it); one ended by return(). Each goes on after a
// restore as it would have, and takes its listeners off its emitter as it would have.
const { EventEmitter, on } = require('node:events');

const feed = new EventEmitter();
const queue = on(feed, 'item', { close: ['done'] });
feed.emit('item', 1, 'one');
feed.emit('item', 2);

const ticks = new EventEmitter();
(async () => {
  for await (const [n] of on(ticks, 'tick')) {
    console.log('tick', n, ticks.listenerCount('tick'));
    if (n === 4) break;
  }
  console.log('loop ended', ticks.listenerCount('tick'), ticks.listenerCount('error'));
})();

const failing = new EventEmitter();
const errors = on(failing, 'data');
failing.emit('data', 'before');
failing.emit('error', new Error('broken'));

const waiting = new EventEmitter();
const requests = on(waiting, 'ready');
const first = requests.next();
const second = requests.next();
first.then((result) => console.log('first', JSON.stringify(result)));

const show = (value) => JSON.stringify(value);
console.log('set up', feed.listenerCount('item'), failing.listenerCount('data'), waiting.listenerCount('ready'));
let step = 0;
const iv = setInterval(async () => {
  step++;
  ticks.emit('tick', step);
  if (step === 1) console.log('queue', show(await queue.next()));
  if (step === 2) {
    feed.emit('item', 3);
    console.log('queue', show(await queue.next()), show(await queue.next()));
  }
  if (step === 3) {
    console.log('errors', show(await errors.next()));
    await errors.next().catch((error) => console.log('errors rejected', error.message));
    console.log('errors then', show(await errors.next()), failing.listenerCount('data'));
  }
  if (step === 4) {
    feed.emit('done');
    console.log('queue after done', show(await queue.next()), feed.listenerCount('item'));
    waiting.emit('ready', 'a');
    waiting.emit('ready', 'b');
    console.log('second', show(await second));
  }
  if (step === 5) {
    clearInterval(iv);
    console.log('return', show(await requests.return()), waiting.listenerCount('ready'));
  }
}, 40);
