'use strict';
// Checkpoint Here while V8 has thenable jobs queued: a promise resolved with another promise, and
// one resolved with an object of the program's that has a `then` method. Each job calls that
// `then` on its thenable once the paused turn ends, before the restored program goes on.
class Deferred {
  constructor(value) {
    this.value = value;
  }
  then(resolve) {
    console.log('then of', this.value);
    resolve(this.value * 10);
  }
}
function note(label) {
  const at = `${label} queued`; // @bp 1 3
  console.log(at);
}
let round = 0;
function tick() {
  round++;
  const byPromise = new Promise((resolve) => resolve(Promise.resolve(round)));
  const byThenable = new Promise((resolve) => resolve(new Deferred(round)));
  note(`round ${round}`);
  Promise.all([byPromise, byThenable]).then(([a, b]) => {
    console.log('round', round, 'settled', a, b);
    if (round < 3) setTimeout(tick, 5);
  });
}
tick();
