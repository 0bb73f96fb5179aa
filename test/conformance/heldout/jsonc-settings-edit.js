// ferry-lines: 2,4
// ferry-here: 29#3
// jsonc-parser: a settings migrator that edits a commented JSON file in place (as an editor does:
// comments and formatting kept), one edit per step, re-reading the file each time and reporting
// the parse errors and the keys the visitor sees; the text lives on disk between steps.
const fs = require('fs');
const jsonc = require('jsonc-parser');

const FILE = 'settings.jsonc';
fs.writeFileSync(FILE, `{
  // editor
  "editor.fontSize": 13,
  "editor.tabSize": 4, /* team default */
  "files.exclude": { "**/.git": true },
  // old keys, migrated below
  "terminal.shell": "/bin/bash",
}
`);
const edits = [
  { path: ['editor.fontSize'], value: 14 },
  { path: ['files.exclude', '**/node_modules'], value: true },
  { path: ['terminal.integrated.defaultProfile.linux'], value: 'bash' },
  { path: ['terminal.shell'], value: undefined },
  { path: ['editor.rulers'], value: [80, 100] },
];
const format = { tabSize: 2, insertSpaces: true, eol: '\n' };
function step(n) {
  const { path: at, value } = edits[n];
  const text = fs.readFileSync(FILE, 'utf8');
  const updated = jsonc.applyEdits(text, jsonc.modify(text, at, value, { formattingOptions: format }));
  fs.writeFileSync(FILE, updated);
  const errors = [];
  const keys = [];
  jsonc.visit(updated, { onObjectProperty: (key) => keys.push(key) }, { allowTrailingComma: true });
  jsonc.parse(updated, errors, { allowTrailingComma: true });
  console.log(`edit ${n + 1}: ${value === undefined ? 'removed' : 'set'} ${at.join('.')}`, keys.length, 'keys', errors.length, 'errors');
  if (n + 1 < edits.length) setTimeout(step, 10, n + 1);
  else console.log(JSON.stringify(jsonc.parse(updated, [], { allowTrailingComma: true })));
}
setTimeout(step, 10, 0);
