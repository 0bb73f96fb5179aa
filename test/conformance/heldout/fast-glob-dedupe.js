// ferry-lines: 2,5
// ferry-here: 23#8
// fast-glob + pend + buffer-crc32: a duplicate-file finder over the folder beside it; files are
// listed by glob, then read as streams one at a time (pend with max 1), each chunk checksummed as it
// arrives, the checksums grouped in a Map; a report of the groups is written at the end.
const fg = require('fast-glob');
const Pend = require('pend');
const crc32 = require('buffer-crc32');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, 'fast-glob-dedupe');
const byChecksum = new Map();
const pend = new Pend();
pend.max = 1;

function checksum(file, done) {
  let crc = 0;
  let chunks = 0;
  const stream = fs.createReadStream(path.join(root, file), { highWaterMark: 16 * 1024 });
  stream.on('data', (chunk) => {
    chunks++;
    crc = crc32.unsigned(chunk, crc);
  });
  stream.on('end', () => {
    const key = crc.toString(16);
    byChecksum.set(key, [...(byChecksum.get(key) ?? []), file]);
    console.log(`${file}: ${key} in ${chunks} chunk(s)`);
    setTimeout(done, 10);
  });
  stream.on('error', done);
}

fg(['**/*', '!**/*.tmp'], { cwd: root }).then((files) => {
  for (const file of files.sort()) pend.go((done) => checksum(file, done));
  pend.wait((err) => {
    if (err) throw err;
    const dupes = [...byChecksum.values()].filter((group) => group.length > 1);
    fs.writeFileSync('duplicates.txt', dupes.map((group) => group.join(' = ')).join('\n') + '\n');
    console.log(`${files.length} files, ${dupes.length} duplicate group(s)`);
  });
});
