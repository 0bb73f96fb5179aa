// ferry-lines: 1,3,4
// split2: newline-delimited JSON arriving in pieces that cut records (and a UTF-8 character) in
// half, split into records by a Transform stream with its own StringDecoder, then piped through the
// program's own object-mode Transform that totals them. A checkpoint between pieces keeps the half
// record, the half character and the running totals.
const split = require('split2');
const { Transform } = require('node:stream');

const records = Buffer.from([
  { item: 'tea', price: 3 }, { item: 'café', price: 4 }, { item: 'scone', price: 2 },
  { item: 'jam', price: 1 }, { item: 'crème', price: 5 },
].map((r) => JSON.stringify(r)).join('\n') + '\n');

const parser = split(JSON.parse);
let total = 0;
const totals = new Transform({
  objectMode: true,
  transform(record, enc, cb) {
    total += record.price;
    cb(null, `${record.item}: running total ${total}\n`);
  },
});
parser.pipe(totals).pipe(process.stdout);
totals.on('end', () => console.log('all records, total', total));

// Seven-byte pieces: records and the two-byte 'é' and 'è' are cut across writes.
let offset = 0;
const feed = setInterval(() => {
  const piece = records.subarray(offset, offset + 7);
  offset += 7;
  parser.write(piece);
  if (offset >= records.length) {
    clearInterval(feed);
    parser.end();
  }
}, 40);
