// ferry-lines: 1,3
// A user EventEmitter subclass with listeners (including once) and internal symbol-keyed state.
const { EventEmitter } = require('events');
class Job extends EventEmitter {
  constructor() { super(); this.done = 0; }
  work() { this.done++; this.emit('progress', this.done); }
}
const job = new Job();
job.on('progress', (n) => console.log(`progress ${n}`));
job.once('progress', () => console.log('first progress only'));
let step = 0;
const iv = setInterval(() => {
  step++;
  job.work();
  console.log(`listeners ${job.listenerCount('progress')}`);
  if (step === 7) clearInterval(iv);
}, 60);
