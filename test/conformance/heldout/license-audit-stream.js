// ferry-lines: 2,5
// ferry-here: 29#3
// normalize-package-data + spdx-expression-parse: a license audit fed NDJSON manifests through a
// stream (written a few bytes per tick, as a pipe delivers them), split into lines by readline; each
// manifest is normalized (its warnings kept), its license expression parsed, and a verdict appended.
const { PassThrough } = require('stream');
const readline = require('readline');
const fs = require('fs');
const normalize = require('normalize-package-data');
const parseSpdx = require('spdx-expression-parse');

const manifests = [
  { name: 'left-pad', version: '1.3.0', license: 'WTFPL', repository: 'stevemao/left-pad' },
  { name: 'dual', version: '2.0.0', license: '(MIT OR Apache-2.0)', repository: 'github:acme/dual' },
  { name: 'Bad_Name', version: 'v1.0.1', license: 'GPL-3.0-only', description: 'copyleft thing' },
  { name: 'no-license', version: '0.0.1', repository: 'gitlab:team/no-license' },
  { name: 'typo', version: '3.1.4', license: 'MIT', dependencies: { lodash: '^4' }, bugs: 'not a url' },
  { name: 'agpl', version: '1.0.0', license: 'AGPL-3.0-or-later WITH Classpath-exception-2.0', readme: '# agpl' },
];
const allowed = new Set(['MIT', 'Apache-2.0', 'ISC', 'BSD-3-Clause', 'WTFPL']);
const stats = { ok: 0, review: 0, warnings: 0 };

function licensesOf(node) {
  return node.license ? [node.license] : [...licensesOf(node.left), ...licensesOf(node.right)];
}
function audit(line) {
  const pkg = JSON.parse(line);
  const warnings = [];
  normalize(pkg, (msg) => warnings.push(msg));
  stats.warnings += warnings.length;
  let verdict;
  try {
    const ids = licensesOf(parseSpdx(pkg.license || ''));
    verdict = ids.some((id) => allowed.has(id)) ? 'ok' : `review ${ids.join('+')}`;
  } catch {
    verdict = 'review unparsable';
  }
  stats[verdict === 'ok' ? 'ok' : 'review']++;
  const repo = pkg.repository ? pkg.repository.url : '-';
  console.log(pkg.name, pkg.version, verdict, repo, `${warnings.length} warning(s)`);
  fs.appendFileSync('audit.txt', `${pkg._id} ${verdict}\n${warnings.map((w) => `  ! ${w}\n`).join('')}`);
}

const input = new PassThrough();
const lines = readline.createInterface({ input, crlfDelay: Infinity });
lines.on('line', audit);
lines.on('close', () => console.log('audited', JSON.stringify(stats)));
const text = manifests.map((m) => JSON.stringify(m)).join('\n') + '\n';
let at = 0;
(function pump() {
  input.write(text.slice(at, (at += 40)));
  if (at < text.length) setTimeout(pump, 8);
  else input.end();
})();
