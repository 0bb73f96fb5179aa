// ferry-lines: 2,4
// A build that rebuilds what changed by comparing times of last write (as make and file-entry-cache
// do, to the millisecond): the sources it wrote, restored on another machine, keep the times they
// had, so the rounds after the checkpoint rebuild only what they edit.
const fs = require('fs');
fs.mkdirSync('src', { recursive: true });
const files = ['a.txt', 'b.txt', 'c.txt'].map((f) => `src/${f}`);
files.forEach((f, i) => fs.writeFileSync(f, `source ${i}\n`));
fs.utimesSync('src/c.txt', 1700000000, 1700000000); // an old file, from a checkout
const seen = new Map();
const edits = [[], ['src/b.txt'], [], ['src/a.txt'], []];
let round = 0;
const timer = setInterval(() => {
  for (const f of edits[round]) {
    fs.appendFileSync(f, `edit ${round}\n`);
    fs.utimesSync(f, 1800000000 + round, 1800000000 + round);
  }
  const changed = files.filter((f) => seen.get(f) !== fs.statSync(f).mtime.getTime());
  for (const f of changed) seen.set(f, fs.statSync(f).mtime.getTime());
  console.log(`round ${round}: ${changed.join(' ') || 'nothing'}`);
  if (++round === edits.length) clearInterval(timer);
}, 15);
