// ferry-lines: 2,4,6,9
// Node's in-memory streams mid-flight: a class extending Transform in a pipe chain into stdout, an
// object-mode Readable holding data nobody has read yet, a Writable with a write in flight (its
// callback held until a later tick completes it) and end(callback) waiting for it, and a PassThrough
// decoding UTF-8 that holds half of a character between two writes. After restore each goes on where
// it was. Every step is driven by the one interval's ticks: a timeout racing an interval (which
// re-arms from when its callback ran, so drifts under load) would make the order the machine's.
const { Readable, Writable, Transform, PassThrough } = require('node:stream');

class LineNumberer extends Transform {
  constructor() { super(); this.n = 0; this.pending = ''; }
  _transform(chunk, enc, cb) {
    const lines = (this.pending + chunk.toString()).split('\n');
    this.pending = lines.pop();
    for (const line of lines) this.push(`${++this.n}: ${line}\n`);
    cb();
  }
  _flush(cb) { if (this.pending) this.push(`${++this.n}: ${this.pending}\n`); cb(); }
}
const source = new PassThrough();
const numberer = new LineNumberer();
source.pipe(numberer).pipe(process.stdout);

const queue = new Readable({ objectMode: true, read() {} });
for (let i = 0; i < 3; i++) queue.push({ job: i });

let done = 0;
let finishWrite = null; // the write in flight: what completes it
const slow = new Writable({
  write(chunk, enc, cb) {
    finishWrite = () => { finishWrite = null; console.log('slow wrote', String(chunk)); done++; cb(); };
  },
});
slow.once('finish', () => console.log('slow finished'));

const decoded = new PassThrough();
decoded.setEncoding('utf8');
let text = '';
decoded.on('data', (s) => { text += s; });

let tick = 0;
const timer = setInterval(() => {
  tick++;
  if (tick === 5) finishWrite(); // alpha's; omega's write starts now and is completed after the last tick
  source.write(`line ${tick} part`);
  source.write(' two\n');
  console.log('tick', tick, 'queued', queue.readableLength, 'text', JSON.stringify(text));
  if (tick === 2) { slow.write('alpha'); slow.end('omega', () => console.log('end callback, done', done)); }
  if (tick === 3) decoded.write(Buffer.from([0xe2, 0x82])); // the first two bytes of '€'
  if (tick === 5) decoded.write(Buffer.from([0xac, 0x21]));
  if (tick === 6) {
    clearInterval(timer);
    source.end('last line without newline');
    queue.on('data', (job) => console.log('job', job.job));
    queue.push(null);
    setImmediate(() => finishWrite()); // after what the end and the queue's data print (ticks, not I/O)
  }
}, 150);
