// ferry-lines: 2,3
// ferry-here: 23#3
// espree + esquery: a tiny linter whose rules are parsed selectors with report closures; source
// files are parsed one per step and findings go to a report file.
const espree = require('espree');
const esquery = require('esquery');
const fs = require('fs');
const rules = [
  { id: 'no-var', selector: esquery.parse('VariableDeclaration[kind="var"]'), message: () => 'use let/const' },
  { id: 'no-eval', selector: esquery.parse('CallExpression[callee.name="eval"]'), message: () => 'no eval' },
  { id: 'max-params', selector: esquery.parse(':function[params.length>2]'), message: (n) => `${n.params.length} params` },
];
const sources = [
  'var a = 1; function f(x, y, z) { return eval("x"); }',
  'const b = (p, q) => p + q; let c = b(1, 2);',
  'class K { m(a, b, c, d) { var t = a; return t; } }',
  'for (var i = 0; i < 3; i++) { eval(String(i)); }',
];
const counts = Object.fromEntries(rules.map((r) => [r.id, 0]));
function lint(src, file) {
  const ast = espree.parse(src, { ecmaVersion: 2022, loc: true });
  const found = rules.flatMap((r) => esquery.match(ast, r.selector).map((n) => `${file}:${n.loc.start.line}:${n.loc.start.column} ${r.id} ${r.message(n)}`));
  for (const f of found) counts[f.split(' ')[1]]++;
  return found;
}
let n = 0;
function next() {
  const found = lint(sources[n], `f${n}.js`);
  console.log(`f${n}.js`, found.length, JSON.stringify(counts));
  fs.appendFileSync('lint.txt', found.join('\n') + '\n');
  if (++n < sources.length) setTimeout(next, 25);
}
setTimeout(next, 25);
