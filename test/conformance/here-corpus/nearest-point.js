'use strict';
// The nearest safe point: breakpoints where a frame cannot be resumed exactly. A caller that took
// a token (a side effect) before the pending call, and a call whose first argument was evaluated
// before the second: Ferry steps the program on to the next statement of the caller and takes the
// checkpoint there. A listener Node's stream code runs: out of it, on to the program's next code.
// `@to LINE` (or `idle`) says where the checkpoint is taken.
const { Readable } = require('node:stream');

class Parser {
  constructor(tokens) {
    this.tokens = tokens;
    this.pos = 0;
  }

  take() {
    return this.tokens[this.pos++];
  }

  parseOperand(depth) {
    const token = this.take();
    return { token, depth }; // @bp 2 @to 27
  }

  parsePair(depth) {
    const pair = [this.take(), this.parseOperand(depth)];
    const text = pair.map((p) => (typeof p === 'string' ? p : p.token)).join(' ');
    console.log(`pair ${text} at ${this.pos}`);
    return pair;
  }
}

const seen = [];
const note = (label) => (seen.push(label), label);
function show(a, b) {
  console.log(`show ${a} ${b} after ${seen.join(',')}`);
}
function second(n) {
  return note(`second ${n}`); // @bp 1 @to 43
}

const parser = new Parser(['a', '1', 'b', '2', 'c', '3']);
for (let depth = 0; depth < 3; depth++) parser.parsePair(depth);
for (let n = 0; n < 2; n++) show(note(`first ${n}`), second(n));

const chunks = Readable.from(['x', 'y']);
chunks.on('data', (chunk) => {
  console.log('chunk', chunk); // @bp 2 @to idle
});
chunks.on('end', () => setTimeout(function later() {
  console.log('after the stream', seen.length);
}, 5));
