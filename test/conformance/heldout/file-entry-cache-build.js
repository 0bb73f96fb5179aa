// ferry-lines: 3,6
// ferry-here: 27#2
// file-entry-cache: an incremental "build" over sources the program writes itself; each round edits
// some of them, asks the cache (mtime and size, the default) which changed, rebuilds only those into
// out/, and saves the cache; rounds follow one another on a timer.
const fileEntryCache = require('file-entry-cache');
const fs = require('fs');
const path = require('path');

fs.mkdirSync('src', { recursive: true });
fs.mkdirSync('out', { recursive: true });
const files = ['a.txt', 'b.txt', 'c.txt', 'd.txt'].map((f) => path.join('src', f));
files.forEach((f, i) => fs.writeFileSync(f, `source ${i}\n`));
const cache = fileEntryCache.create('build-cache', path.resolve('.cache'));
const builds = new Map();
const edits = [
  [],
  ['src/b.txt'],
  [],
  ['src/a.txt', 'src/d.txt'],
  ['src/d.txt', 'src/new.txt'],
];
let round = 0;
function build() {
  for (const f of edits[round]) fs.appendFileSync(f, `edit in round ${round}\n`);
  const all = fs.readdirSync('src').map((f) => path.join('src', f));
  const changed = cache.getUpdatedFiles(all);
  for (const f of changed) {
    const text = fs.readFileSync(f, 'utf8');
    builds.set(f, (builds.get(f) ?? 0) + 1);
    fs.writeFileSync(path.join('out', path.basename(f)), text.toUpperCase());
  }
  cache.reconcile();
  console.log(`round ${round}: rebuilt ${changed.length ? changed.join(' ') : 'nothing'}`);
  if (++round < edits.length) setTimeout(build, 15);
  else finish();
}
function finish() {
  console.log('builds per file:', [...builds].map(([f, n]) => `${path.basename(f)}=${n}`).join(' '));
  cache.destroy(); // the cache holds mtimes: not a file two runs write alike
}
setTimeout(build, 15);
