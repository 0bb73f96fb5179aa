// A class with private members over a plain constructor function (eventemitter3 and p-queue's
// shape): restored instances are made without that function's body running again (it logs here),
// and a job's async arrow, suspended at its await inside a method, keeps that method's `this`.
function Emitter() {
  this.handlers = {};
  console.log('an emitter is made');
}
Emitter.prototype.on = function on(name, fn) {
  (this.handlers[name] ||= []).push(fn);
  return this;
};
Emitter.prototype.emit = function emit(name, ...args) {
  for (const fn of this.handlers[name] || []) fn(...args);
};

class JobQueue extends Emitter {
  #pending = [];
  #done = 0;

  add(name, ms) {
    const run = async () => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      this.#done++;
      this.emit('done', name, this.#done, this.#pending.length); // @bp 3
      this.#next();
    };
    this.#pending.push(run);
    if (this.#pending.length === 1) run();
  }

  #next() {
    this.#pending.shift();
    if (this.#pending.length > 0) this.#pending[0]();
    else this.emit('idle', this.#done);
  }
}

const queue = new JobQueue();
queue.on('done', (name, done, left) => console.log(`${name} done (${done}), ${left - 1} left`));
queue.on('idle', (done) => console.log(`idle after ${done}`));
for (const [name, ms] of [['fetch', 12], ['parse', 8], ['store', 10], ['notify', 6]]) queue.add(name, ms);
