'use strict';
// A breakpoint while the program has requests in flight: an asynchronous fs.write (as sonic-boom
// writes a log) and an fs.stat, whose callbacks come on a later turn of the event loop. A restored
// program would never get them: Ferry steps on until they are done, to the next idle point. In the
// write's callback, nothing is in flight any more: the checkpoint is taken there.
const fs = require('node:fs');

class AsyncLog {
  constructor(path) {
    this.fd = fs.openSync(path, 'a');
    this.pending = 0;
    this.lines = 0;
  }
  write(line, done) {
    this.pending++;
    fs.write(this.fd, `${line}\n`, (err) => {
      if (err) throw err;
      this.pending--;
      this.lines++;
      done();
    });
    return this.pending; // @bp 2 @to idle
  }
}

const log = new AsyncLog('events.log');
const events = ['start', 'load', 'parse', 'save'];
let next = 0;
function step() {
  const queued = log.write(events[next], () => {
    console.log(`${events[next]} written, ${log.lines} line(s)`); // @bp 3
    if (++next < events.length) return setTimeout(step, 5);
    fs.stat('events.log', (err, stats) => {
      console.log('log size', stats.size);
      let left = 3;
      const timer = setInterval(() => console.log('closing', --left || clearInterval(timer) || 'done'), 20);
    });
    console.log('stat asked'); // @bp 1 @to idle
  });
  console.log('queued', queued);
}
step();
