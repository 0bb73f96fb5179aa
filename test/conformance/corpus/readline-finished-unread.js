// ferry-lines: 1,3
// A readline Interface's async iterator finished (its input ended) with lines nobody has read yet:
// it gives them, each line itself, before it says it is done.
const readline = require('node:readline');
const { PassThrough } = require('node:stream');

const source = new PassThrough();
const lines = readline.createInterface({ input: source, crlfDelay: Infinity });
const iterator = lines[Symbol.asyncIterator]();
lines.on('close', () => {
  console.log('input closed');
  const timer = setInterval(async () => {
    const result = await iterator.next();
    console.log('next', JSON.stringify(result));
    if (result.done) clearInterval(timer);
  }, 150);
});
source.end('one\ntwo\nthree\n');
