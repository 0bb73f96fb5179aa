// ferry-lines: 1,3
// ferry-here: 27#2
// cron-parser + fuse.js + diff: jobs found by fuzzy search, their next runs computed, and each plan
// diffed against the last and appended to a file. Breakpoint in the planner, between two writes.
const parser = require('cron-parser');
const Fuse = require('fuse.js');
const Diff = require('diff');
const fs = require('fs');
const jobs = [
  { name: 'backup database', cron: '0 3 * * *' },
  { name: 'rotate logs', cron: '*/15 * * * *' },
  { name: 'send weekly report', cron: '0 9 * * 1' },
  { name: 'purge cache', cron: '30 2 1 * *' },
];
const fuse = new Fuse(jobs, { keys: ['name'], threshold: 0.4 });
const start = new Date('2026-03-02T00:00:00Z');
let previous = '';
const queries = ['backup', 'report', 'rotat', 'cache purge', 'database'];
function plan(q) {
  const hits = fuse.search(q);
  const lines = hits.map(({ item }) => {
    const it = parser.parseExpression(item.cron, { currentDate: start, tz: 'UTC' });
    return `${item.name}: ${it.next().toISOString()} ${it.next().toISOString()}`;
  });
  const text = lines.join('\n') + '\n';
  const patch = Diff.createTwoFilesPatch('prev', 'next', previous, text, '', '', { context: 0 });
  fs.appendFileSync('plans.log', `# ${q}\n${text}`);
  previous = text;
  return { hits: hits.length, changed: patch.split('\n').filter((l) => /^[+-][^+-]/.test(l)).length };
}
let n = 0;
const tick = () => {
  const q = queries[n++];
  if (!q) return console.log('log size', fs.statSync('plans.log').size);
  const r = plan(q);
  console.log(q, r.hits, r.changed);
  setImmediate(() => setTimeout(tick, 10));
};
fs.rmSync('plans.log', { force: true });
tick();
