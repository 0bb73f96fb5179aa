'use strict';
// Checkpoint Here inside EventEmitter listeners: one run by a synchronous emit() from the
// program (with another listener of the same event after it), and one run by an emit() from
// Node's own code (a Readable's 'data' and 'end'). The listeners after the paused one still run.
// Node's stream code goes on after 'data' and 'end' in ways Ferry cannot play: those are taken at
// the nearest point it can resume (`@to idle`: the program's next idle point).
const { EventEmitter } = require('node:events');
const { Readable } = require('node:stream');

class Counter extends EventEmitter {
  constructor() {
    super();
    this.total = 0;
  }

  add(n) {
    this.total += n;
    this.emit('added', n, this.total);
    return this.total;
  }
}

const counter = new Counter();
counter.on('added', function first(n, total) {
  console.log(`first listener: +${n} = ${total} (${this === counter})`); // @bp 2
});
counter.on('added', (n) => console.log(`second listener: +${n}`));

for (const n of [1, 2, 3]) console.log('add returned', counter.add(n));

const chunks = [];
const source = Readable.from(['alpha', 'beta', 'gamma'], { objectMode: true });
source.on('data', function onData(chunk) {
  chunks.push(chunk.toUpperCase()); // @bp 1 2 @to idle
  console.log(`data ${chunk} (${this === source})`);
});
source.on('end', () => {
  console.log('end after', chunks.join(' ')); // @bp 1 @to idle
  counter.add(100);
});
