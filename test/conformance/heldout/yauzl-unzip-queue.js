// ferry-lines: 2,5
// ferry-here: 36#3
// yauzl: an archive (built with yazl in memory, as a download would arrive) read entry by entry with
// lazyEntries; each file is inflated and handed to a one-at-a-time worker queue that pauses on a
// timer (a rate limit), writes the file out and its checksum to a manifest; reading waits for the queue.
const yazl = require('yazl');
const yauzl = require('yauzl');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

function buildArchive(done) {
  const zip = new yazl.ZipFile();
  const mtime = new Date(Date.UTC(2024, 0, 2, 3, 4, 6));
  zip.addEmptyDirectory('data/', { mtime });
  for (let i = 1; i <= 6; i++) {
    const rows = Array.from({ length: i * 40 }, (_, r) => `${i},${r},${(r * 7919) % 1000}`).join('\n');
    zip.addBuffer(Buffer.from(rows), `data/part-${i}.csv`, { mtime, compress: i % 3 !== 0 });
  }
  zip.addBuffer(Buffer.from('parts 1-6\n'), 'README', { mtime });
  const chunks = [];
  zip.outputStream.on('data', (c) => chunks.push(c)).on('end', () => done(Buffer.concat(chunks)));
  zip.end();
}

const queue = [];
let busy = false;
function work() {
  if (busy || !queue.length) return;
  busy = true;
  const job = queue.shift();
  setTimeout(() => {
    const out = path.join('extracted', job.name);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, job.data);
    const sum = crypto.createHash('sha1').update(job.data).digest('hex').slice(0, 12);
    fs.appendFileSync('manifest.txt', `${job.name} ${job.data.length} ${sum}\n`);
    console.log('extracted', job.name, job.data.length, 'lines', job.data.toString().split('\n').length);
    busy = false;
    job.next();
    work();
  }, 15);
}
function finish() {
  console.log('all done,', fs.readFileSync('manifest.txt', 'utf8').split('\n').length - 1, 'files in the manifest');
}

buildArchive((buffer) => {
  console.log('archive', buffer.length, 'bytes');
  yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
    if (err) throw err;
    zip.on('entry', (entry) => {
      if (entry.fileName.endsWith('/')) return zip.readEntry();
      zip.openReadStream(entry, (e, stream) => {
        if (e) throw e;
        const parts = [];
        stream.on('data', (c) => parts.push(c));
        stream.on('end', () => {
          queue.push({ name: entry.fileName, data: Buffer.concat(parts), next: () => zip.readEntry() });
          work();
        });
      });
    });
    zip.on('end', finish);
    zip.readEntry();
  });
});
