// ferry-lines: 2,4
// micromatch/picomatch: compiled matchers (functions closing over regexes) kept in a rules table,
// applied to batches of paths arriving on an interval; a Set of matched paths grows.
const micromatch = require('micromatch');
const picomatch = require('picomatch');
const rules = [
  { name: 'sources', test: picomatch(['src/**/*.{js,ts}', '!**/*.test.*']) },
  { name: 'tests', test: picomatch('**/*.test.{js,ts}') },
  { name: 'docs', test: picomatch('docs/**/*.md', { nocase: true }) },
];
const matched = new Set();
const batches = [
  ['src/a.js', 'src/lib/b.ts', 'src/a.test.js', 'README.md'],
  ['docs/Guide.MD', 'docs/api/x.md', 'src/deep/er/c.js'],
  ['test/x.test.ts', 'src/y.d.ts', 'package.json'],
  ['docs/a.txt', 'src/z.jsx', 'lib/q.test.js'],
  ['src/again.js'],
];
const iv = setInterval(() => {
  const batch = batches.shift();
  const line = rules.map((r) => `${r.name}=${batch.filter(r.test).length}`).join(' ');
  batch.filter((p) => rules.some((r) => r.test(p))).forEach((p) => matched.add(p));
  console.log(line, 'nonjs', micromatch.not(batch, '**/*.js').length);
  if (!batches.length) { clearInterval(iv); console.log('matched', [...matched].sort().join(',')); }
}, 20);
