// Lists the functions longer than a limit (80 lines by default) in the given folders, read with the
// TypeScript compiler's own parser: a function's lines run from its first line to its closing brace,
// the functions nested in it included. Exits 1 when one is found.
//
//   node scripts/long-functions.mjs [--max N] [DIR|FILE ...]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const DEFAULT_ROOTS = ['snapshot', 'adapter', 'extension'];
const DEFAULT_MAX = 80;

function sourceFiles(path) {
  if (statSync(path).isFile()) return /\.tsx?$/.test(path) && !path.endsWith('.d.ts') ? [path] : [];
  return readdirSync(path)
    .sort()
    .flatMap((name) => (name === 'node_modules' ? [] : sourceFiles(join(path, name))));
}

/** The name a reader would look for: the declaration's own, else the variable, property or call it is given to. */
function functionName(node) {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  if (node.name) return node.name.getText();
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
    return parent.name.getText();
  if (ts.isCallExpression(parent)) return `(callback of ${parent.expression.getText().slice(0, 40)})`;
  return '(anonymous)';
}

function isFunctionLike(node) {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

function longFunctions(file, max) {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if (isFunctionLike(node) && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      if (lines > max)
        found.push({ file: relative(process.cwd(), file), line: first + 1, name: functionName(node), lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function main(argv) {
  let max = DEFAULT_MAX;
  const roots = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--max') max = Number(argv[++i]);
    else roots.push(argv[i]);
  }
  const found = (roots.length ? roots : DEFAULT_ROOTS).flatMap(sourceFiles).flatMap((file) => longFunctions(file, max));
  for (const f of found) console.log(`${f.file}:${f.line}  ${f.name}  ${f.lines} lines`);
  if (found.length > 0) console.error(`${found.length} function(s) over ${max} lines: split them at their phases`);
  return found.length > 0 ? 1 : 0;
}

process.exit(main(process.argv.slice(2)));
