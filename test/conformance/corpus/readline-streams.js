// ferry-lines: 2,5,8
// readline Interfaces on in-memory streams: one with 'line' listeners and a partial line kept
// when the checkpoint comes, closed by the end of its input; one read by a for-await loop whose
// body waits for its turn, so that lines wait in its iterator; one asked a question, answered after
// the restore. Each reads on, and takes its listeners off its input when closed, as it would have.
const readline = require('node:readline');
const { PassThrough } = require('node:stream');

const input = new PassThrough();
const rl = readline.createInterface({ input });
let count = 0;
rl.on('line', (line) => console.log('line', ++count, JSON.stringify(line)));
rl.on('close', () => console.log('closed after', count, input.listenerCount('data'), input.listenerCount('end')));

const source = new PassThrough();
const lines = readline.createInterface({ input: source, crlfDelay: Infinity });
let wake = () => {};
(async () => {
  for await (const line of lines) {
    await new Promise((resolve) => (wake = resolve));
    console.log('read', JSON.stringify(line));
  }
  console.log('read all', source.listenerCount('data'), lines.listenerCount('line'));
})();

const answers = new PassThrough();
const asker = readline.createInterface({ input: answers });
asker.question('name? ', (answer) => console.log('answer', JSON.stringify(answer)));

input.write('alpha\nbeta\ngam');
source.write('one\ntwo\nthree\nfour\n');
const steps = [
  () => input.write('ma\ndel'),
  () => wake(),
  () => input.write('ta\n'),
  () => answers.write('ferry\n'),
  () => wake(),
  () => input.end('epsilon'),
  () => wake(),
  () => source.end('five\n'),
  () => wake(),
  () => wake(),
  () => asker.close(),
];
const iv = setInterval(() => {
  steps.shift()();
  if (steps.length === 0) clearInterval(iv);
}, 40);
