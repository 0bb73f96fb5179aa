// Runs the test suite with Node's built-in runner: every *.test.ts under test/ and beside the code
// (snapshot/, adapter/, extension/), or the files/dirs given.
// (Node 20's --test does not expand globs itself.)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(path) {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const child = join(path, name);
      if (name === 'node_modules' || name === 'fixtures' || name === 'corpus') return [];
      return statSync(child).isDirectory() ? find(child) : name.endsWith('.test.ts') ? [child] : [];
    });
}

const targets = process.argv.slice(2);
const files = (targets.length ? targets : ['test', 'snapshot', 'adapter', 'extension']).flatMap(find);
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
