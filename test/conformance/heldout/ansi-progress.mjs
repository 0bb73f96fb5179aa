// ferry-lines: 4,16
// ferry-here: 24#3
// strip-ansi + ansi-escapes + string-width + slice-ansi + text-table: a progress board for a set
// of downloads, rendered with colours and cursor codes into a log file (as a terminal would get it)
// and as plain text to stdout; progress arrives as events a simulated network emits on a timer,
// awaited by a top-level `for await` over events.on().
import { EventEmitter, on } from 'node:events';
import { appendFileSync } from 'node:fs';
import stripAnsi from 'strip-ansi';
import ansiEscapes from 'ansi-escapes';
import stringWidth from 'string-width';
import sliceAnsi from 'slice-ansi';
import table from 'text-table';

const network = new EventEmitter();
const downloads = new Map([
  ['ubuntu-24.04.iso', { size: 5800, done: 0 }],
  ['日本語-manual.pdf', { size: 1200, done: 0 }],
  ['photos.zip', { size: 2400, done: 0 }],
]);
const bar = (ratio, width = 10) => '\u001b[32m' + '█'.repeat(Math.round(ratio * width)) + '\u001b[39m' + '░'.repeat(width - Math.round(ratio * width));
function render(step) {
  const rows = [...downloads].map(([name, d]) => [sliceAnsi(name, 0, 14), bar(d.done / d.size), `${Math.floor((100 * d.done) / d.size)}%`]);
  const text = table(rows, { stringLength: stringWidth, align: ['l', 'l', 'r'] });
  appendFileSync('board.log', ansiEscapes.cursorUp(rows.length) + ansiEscapes.eraseLines(1) + text + '\n');
  return `step ${step}\n` + stripAnsi(text);
}
const chunks = [
  ['photos.zip', 800], ['ubuntu-24.04.iso', 1000], ['日本語-manual.pdf', 600], ['photos.zip', 1600],
  ['ubuntu-24.04.iso', 2400], ['日本語-manual.pdf', 600], ['ubuntu-24.04.iso', 2400],
];
let sent = 0;
const tick = setInterval(() => {
  if (sent === chunks.length) {
    clearInterval(tick);
    return network.emit('close');
  }
  network.emit('chunk', ...chunks[sent++]);
}, 15);
network.once('close', () => network.emit('error', Object.assign(new Error('closed'), { code: 'CLOSED' })));

let step = 0;
try {
  for await (const [name, bytes] of on(network, 'chunk')) {
    downloads.get(name).done += bytes;
    console.log(render(++step));
  }
} catch (err) {
  console.log('network', err.code, 'after', step, 'steps');
}
console.log('finished:', [...downloads.keys()].filter((k) => downloads.get(k).done === downloads.get(k).size).join(', '));
