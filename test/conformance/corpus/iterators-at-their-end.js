// ferry-lines: 1,2
// A Map or Set iterator that has yielded the last entry of its collection is not done yet: it
// yields what the collection gets later, until a call finds nothing and it is done for good (V8).
// Looking at one must not end it either: the program goes on with it after the checkpoint.
const queue = new Map([['a', 1]]);
const pending = queue.keys();
const tags = new Set(['x']);
const members = tags.entries();
const waiting = new Map([['only', 0]]).values(); // its Map is held by nothing else
console.log('first', pending.next().value, members.next().value, waiting.next().value);
let step = 0;
const iv = setInterval(() => {
  step++;
  if (step === 1) {
    queue.set('b', 2);
    tags.add('y');
  }
  if (step === 3) queue.set('c', 3);
  console.log(step, JSON.stringify(pending.next()), JSON.stringify(members.next()), JSON.stringify(waiting.next()));
  if (step === 4) clearInterval(iv);
}, 30);
