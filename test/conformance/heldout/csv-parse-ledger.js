// ferry-lines: 2,4
// ferry-here: 20#5
// csv-parse: a ledger CSV written to a PassThrough in chunks on a timer, parsed as a stream with
// columns and casts; the 'readable' listener reads records as they come and keeps balances per
// account, and 'end' writes a summary file.
const fs = require('fs');
const path = require('path');
const { PassThrough } = require('stream');
const { parse } = require('csv-parse');

const balances = new Map();
let rows = 0;
const parser = parse({ columns: true, cast: (value, ctx) => (ctx.column === 'amount' ? Number(value) : value), trim: true });
parser.on('readable', () => {
  let record;
  while ((record = parser.read()) !== null) {
    rows++;
    const before = balances.get(record.account) ?? 0;
    balances.set(record.account, Math.round((before + record.amount) * 100) / 100);
    if (record.amount < 0) console.log('debit', record.account, record.amount, 'on', record.date);
  }
});
parser.on('end', () => {
  const summary = [...balances].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k},${v}`);
  fs.writeFileSync(path.join(__dirname, 'balances.csv'), summary.join('\n') + '\n');
  console.log('rows', rows, 'accounts', balances.size);
});
const csv =
  'date,account,amount\n2024-01-02,cash,100.50\n2024-01-03,rent,-40\n2024-01-03,cash,-12.25\n' +
  '2024-01-05,"food, misc",-8.1\n2024-01-09,cash,250\n2024-01-10,rent,-40\n2024-01-11,savings,75\n2024-01-12,cash,-3.3\n';
const input = new PassThrough();
input.pipe(parser);
const chunks = csv.match(/[^]{1,37}/g);
(function write() {
  input.write(chunks.shift());
  if (chunks.length) setTimeout(write, 10);
  else input.end();
})();
