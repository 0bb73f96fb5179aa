// A small "long job" for the Ferry demo: it migrates records in batches, keeping state of many
// kinds (a class, a Map of Sets, closures sharing a counter, an interval, a report file, an HTTP
// status server). Checkpoint it while it runs, stop it, restore it: it carries on where it was.
const fs = require('fs');
const http = require('http');

class Batch {
  constructor(id, records) { this.id = id; this.records = records; }
  get size() { return this.records.length; }
}

function makeProgress() {
  let done = 0;
  return { advance: (n) => (done += n), done: () => done };
}

const progress = makeProgress();
const byTag = new Map([['even', new Set()], ['odd', new Set()]]);
const total = Number(process.argv[2] || 12);
let next = 0;

const status = http.createServer((req, res) => res.end(JSON.stringify({ batches: next, records: progress.done() })));
status.listen(0, '127.0.0.1');

const timer = setInterval(() => {
  const batch = new Batch(next++, Array.from({ length: 3 }, (_, i) => next * 10 + i));
  for (const r of batch.records) byTag.get(r % 2 ? 'odd' : 'even').add(r);
  progress.advance(batch.size);
  const line = `batch ${batch.id}: ${progress.done()} records migrated (even ${byTag.get('even').size}, odd ${byTag.get('odd').size})`;
  fs.appendFileSync('migration-report.txt', `${line}\n`);
  console.log(line);
  if (next === total) {
    clearInterval(timer);
    status.close();
    console.log('migration complete');
  }
}, 250);
