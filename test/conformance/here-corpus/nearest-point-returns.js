'use strict';
// The nearest safe point, where stepping out lands on a return: a breakpoint in a callback run
// inside a `new Promise` executor (refused there: its caller must get the promise). Stepping out of
// the executor stops in `flush` at its `return`, the promise in hand: resuming `flush` there would
// return nothing, so Ferry steps on out of it too, and takes the checkpoint in `tick`, after its
// statement.
const written = [];
function flushNow(callback) {
  callback(null, written.length);
}

class Trail {
  constructor() {
    this.entries = [];
  }
  record(entry) {
    this.entries.push(entry);
    written.push(entry);
  }
  flush() {
    return new Promise((resolve, reject) => {
      flushNow((err, count) => {
        if (err) return reject(err);
        const summary = { count, last: this.entries.at(-1) }; // @bp 2 @to 41
        resolve(summary);
      });
    });
  }
}

const trail = new Trail();
const batches = [['a', 'b'], ['c'], ['d', 'e', 'f']];
let next = 0;
function tick() {
  for (const entry of batches[next]) trail.record(entry);
  const pending = trail.flush().then((summary) => {
    console.log(`batch ${next}: ${summary.count} written, last ${summary.last}`);
    if (++next < batches.length) setTimeout(tick, 5);
    else finish();
  });
  console.log('flushing', next, pending instanceof Promise);
}
function finish() {
  console.log('total', trail.entries.length, written.join(''));
}
tick();
