// ferry-lines: 2,4
// ferry-here: 20#3
// readable-stream (the userland copy of Node's streams many packages ship): a source making one
// record per timer tick, piped through a Transform that formats and tallies, into a Writable that
// prints; what the streams buffer and the pipes between them cross the checkpoint.
const { Readable, Transform, Writable } = require('readable-stream');
const records = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
let next = 0;
const source = new Readable({
  objectMode: true,
  read() {
    setTimeout(() => this.push(next < records.length ? { n: next, name: records[next++] } : null), 15);
  },
});
const tally = { chars: 0, vowels: 0 };
const format = new Transform({
  writableObjectMode: true,
  transform(record, _encoding, done) {
    tally.chars += record.name.length;
    tally.vowels += (record.name.match(/[aeiou]/g) || []).length;
    done(null, `${record.n}:${record.name.toUpperCase()} chars=${tally.chars} vowels=${tally.vowels}\n`);
  },
});
const sink = new Writable({
  write(chunk, _encoding, done) {
    process.stdout.write(chunk.toString());
    done();
  },
});
sink.on('finish', () => console.log('done', JSON.stringify(tally)));
source.pipe(format).pipe(sink);
