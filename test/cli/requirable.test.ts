// Modules a program requires or imports only after its checkpoint travel in it
// (capture/requirable.ts): a package's file its loaded main requires on first use, and an ES module
// package it import()s (through its "exports" map's `import` condition), are loaded from the
// checkpoint when the package is gone, at the program's own path and with --cwd; a computed
// `require(name)` or `import(name)` cannot be followed, and `ferry inspect` names it. Driven through
// the CLI on a real program stopped at a line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ferry = join(__dirname, '..', '..', 'dist', 'cli.js');
const cli = (args: string[], cwd: string) =>
  spawnSync(process.execPath, [ferry, ...args], { encoding: 'utf8', cwd, stdio: ['ignore', 'pipe', 'pipe'] });

const PROGRAM = `const pkg = require('pkg');
console.log('start');
console.log(pkg.late());
`;
// Its `./extra` is required on first use only; `plugin` is required by a name computed at run time.
const PACKAGE = `const plugin = process.env.PKG_PLUGIN || './none';
exports.late = () => require('./extra').word + ' ' + require('./words.json').more;
exports.plugin = () => require(plugin);
`;

/** The program and its package in a fresh directory, stopped at its third line (before the package's lazy requires). */
function checkpointed(dir: string): void {
  mkdirSync(join(dir, 'node_modules', 'pkg'), { recursive: true });
  writeFileSync(join(dir, 'prog.js'), PROGRAM);
  writeFileSync(join(dir, 'node_modules', 'pkg', 'index.js'), PACKAGE);
  writeFileSync(join(dir, 'node_modules', 'pkg', 'extra.js'), "exports.word = 'carried';\n");
  writeFileSync(join(dir, 'node_modules', 'pkg', 'words.json'), '{ "more": "along" }\n');
  const taken = cli(['run', '--checkpoint-at', 'prog.js:3', '-o', 'c.ferry', '--', 'prog.js'], dir);
  assert.equal(taken.status, 0, taken.stderr);
}

const IMPORTING = `console.log('start');
let greeting;
import('esm-pkg').then((esm) => console.log(esm.greet()));
`;
// A dual package: \`import\` loads its ES build (.js files under "type": "module"), \`require\` its CommonJS one.
const ESM_PACKAGE = {
  'package.json': JSON.stringify({
    name: 'esm-pkg',
    type: 'module',
    exports: { '.': { import: './lib/main.js', require: './lib/main.cjs' } },
  }),
  'lib/main.js':
    "import { word } from './word.js';\nexport const greet = () => `${word} imported`;\nexport const plugin = (name) => import(name);\n",
  'lib/word.js': "export const word = 'carried';\n",
  'lib/main.cjs': "exports.greet = () => 'the CommonJS build';\n",
};

/** A program that import()s an ES module package after its third line, stopped there. */
function importingCheckpointed(dir: string): void {
  for (const [file, text] of Object.entries(ESM_PACKAGE)) {
    mkdirSync(join(dir, 'node_modules', 'esm-pkg', dirname(file)), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'esm-pkg', file), text);
  }
  writeFileSync(join(dir, 'prog.js'), IMPORTING);
  const taken = cli(['run', '--checkpoint-at', 'prog.js:3', '-o', 'c.ferry', '--', 'prog.js'], dir);
  assert.equal(taken.status, 0, taken.stderr);
}

describe('modules required after the checkpoint', () => {
  it('are carried and loaded from the checkpoint where they are gone, here and with --cwd', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-requirable-'));
    try {
      checkpointed(dir);
      rmSync(join(dir, 'node_modules'), { recursive: true });
      const here = cli(['restore', 'c.ferry'], dir);
      assert.equal(here.status, 0, here.stderr);
      assert.equal(here.stdout, 'carried along\n');
      const moved = cli(['restore', 'c.ferry', '--cwd', join(dir, 'moved')], dir);
      assert.equal(moved.status, 0, moved.stderr);
      assert.equal(moved.stdout, 'carried along\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are counted by ferry inspect, which names the computed require() it cannot follow', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-requirable-'));
    try {
      checkpointed(dir);
      const shown = cli(['inspect', 'c.ferry'], dir).stdout;
      assert.match(shown, /^requirable {3}2 module file\(s\) not loaded yet, carried \(\d+ B\)$/m);
      assert.ok(
        shown.includes(
          `not carried: what 1 computed require(name) or import(name) call(s) load: ${dir}/node_modules/pkg/index.js:3\n`,
        ),
        shown,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are imported from the checkpoint where they are gone, here and with --cwd', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-importable-'));
    try {
      importingCheckpointed(dir);
      rmSync(join(dir, 'node_modules'), { recursive: true });
      const here = cli(['restore', 'c.ferry'], dir);
      assert.equal(here.status, 0, here.stderr);
      assert.equal(here.stdout, 'carried imported\n');
      const moved = cli(['restore', 'c.ferry', '--cwd', join(dir, 'moved')], dir);
      assert.equal(moved.status, 0, moved.stderr);
      assert.equal(moved.stdout, 'carried imported\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('that an import names are counted by ferry inspect, which names the computed import() it cannot follow', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-importable-'));
    try {
      importingCheckpointed(dir);
      const shown = cli(['inspect', 'c.ferry'], dir).stdout;
      // The package's main and the module it imports; not its CommonJS build, which `import` does not load.
      assert.match(shown, /^requirable {3}2 module file\(s\) not loaded yet, carried \(\d+ B\)$/m);
      assert.ok(
        shown.includes(
          `not carried: what 1 computed require(name) or import(name) call(s) load: ${dir}/node_modules/esm-pkg/lib/main.js:3\n`,
        ),
        shown,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
