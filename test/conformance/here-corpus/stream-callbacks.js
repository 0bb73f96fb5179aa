'use strict';
// Checkpoint Here inside stream callbacks Node's own code runs: a write() callback (Node's
// afterWrite calls it), a Transform's transform() step, and a 'finish' listener. The restored
// stream is the one the callbacks belong to: its later writes and its end still happen. A
// transform() run by a write() from the program, and a 'finish' listener, have Node's stream code
// go on after them in ways Ferry cannot play: taken at the nearest point (`@to idle`).
const { Transform, Writable } = require('node:stream');

const received = [];
const sink = new Writable({
  write(chunk, encoding, done) {
    received.push(chunk.toString());
    setImmediate(done); // an asynchronous sink: Node's callback waits in an immediate
  },
});

const upper = new Transform({
  transform(chunk, encoding, callback) {
    const text = chunk.toString().toUpperCase(); // @bp 2 @to idle
    callback(null, `${text};`);
  },
});
upper.pipe(sink);

let written = 0;
function afterWrite(error) {
  written++;
  console.log(`written ${written} ${error ?? 'ok'} pending ${sink.writableLength}`); // @bp 2 3
  if (written === 3) upper.end('last');
}

upper.write('one', afterWrite);
upper.write('two', afterWrite);
upper.write('three', afterWrite);
sink.on('finish', function onFinish() {
  console.log('finish', received.join(''), this === sink); // @bp 1 @to idle
});
