// ferry-lines: 2,4
// ferry-here: 22#4
// glob + ignore + picocolors: a CLI that scans a project (the directory beside it) for TODO and FIXME
// comments one file per step (an fs.promises read, then a short pause as a polite tool's throttle),
// skipping what its .todoignore names; it prints a line per file and appends the hits to a report.
const fs = require('fs');
const path = require('path');
const { globSync } = require('glob');
const ignore = require('ignore');
const pc = require('picocolors').createColors(true);

const root = path.join(__dirname, 'glob-todo-scan');
const ig = ignore().add(fs.readFileSync(path.join(root, '.todoignore'), 'utf8'));
const files = globSync('**/*.{js,md,log}', { cwd: root, posix: true }).filter((f) => !ig.ignores(f)).sort();
const totals = { TODO: 0, FIXME: 0 };

async function scanFile(file) {
  const text = await fs.promises.readFile(path.join(root, file), 'utf8');
  const hits = [];
  text.split('\n').forEach((line, n) => {
    const m = /\b(TODO|FIXME)\b:?\s*(.*)/.exec(line);
    if (m) { totals[m[1]]++; hits.push(`${file}:${n + 1} ${m[1]} ${m[2]}`); }
  });
  if (hits.length) fs.appendFileSync('todo-report.txt', hits.map((h) => pc.yellow(h)).join('\n') + '\n');
  console.log(`${pc.bold(file)} ${hits.length ? pc.red(hits.length + ' open') : pc.green('clean')}`);
}

async function main() {
  console.log(pc.dim(`scanning ${files.length} files`));
  for (const file of files) {
    await scanFile(file);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  console.log(pc.cyan(`${files.length} files, ${totals.TODO} TODO, ${totals.FIXME} FIXME`));
}
main();
