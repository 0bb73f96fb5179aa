// ferry-lines: 2,4
// The TypeScript compiler: a module of thousands of functions over one scope of thousands of
// variables (its contexts are read once per chain, from the heap snapshot). Each tick parses a
// source file, walks its syntax tree, prints it back and transpiles it; a source file parsed before
// the checkpoint is printed again after it.
const ts = require('typescript');
const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });
const first = ts.createSourceFile('first.ts', 'const greeting: string = `hi ${1 + 2}`;\nexport default greeting;', ts.ScriptTarget.ES2020, true);
let tick = 0;
const iv = setInterval(() => {
  tick++;
  const text = `export function f${tick}(x: number): number { return x * ${tick}; }\ninterface P${tick} { a: string }`;
  const file = ts.createSourceFile(`t${tick}.ts`, text, ts.ScriptTarget.ES2020, true);
  const kinds = [];
  const visit = (node) => { kinds.push(ts.SyntaxKind[node.kind]); ts.forEachChild(node, visit); };
  visit(file);
  const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  console.log(tick, kinds.length, kinds.slice(0, 4).join(','), JSON.stringify(js.split('\n').filter((l) => l.includes('function'))));
  console.log('  first:', printer.printFile(first).trim().split('\n').join(' | '));
  if (tick === 4) clearInterval(iv);
}, 300);
