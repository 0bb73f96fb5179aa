// require() calls and imports found in a script's text: literal requests, computed ones by line, and
// none of what only looks like one (in a comment, a string, a regular expression, a property, a longer word).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { moduleRequests } from './source-text';

const SOURCE = [
  'const a = require(\'./a\'), b = require ( "pkg/sub" );',
  '// require("./in-comment")',
  "const text = 'require(\"./in-string\")', re = /require\\('x'\\)/;",
  "const c = module.require('./property'), d = myrequire('./word');",
  'const e = require(name);',
  'const f = `${require(`./template`)}`;',
  "const g = require('./' + name), h = require.resolve('./resolved');",
].join('\n');

describe('require() calls of a script', () => {
  it('are its literal requests, and the lines of the computed ones', () => {
    assert.deepEqual(moduleRequests(SOURCE).requires, { requests: ['./a', 'pkg/sub', './template'], computed: [5, 7] });
  });
});

const MODULE = [
  "import a from './a.mjs';",
  "import './side.js'; export * from 'pkg';",
  'export { b } from "./b.mjs"; const from = \'not/this\';',
  "const lazy = () => import('./lazy.mjs'), opts = import(\"./with.json\", { with: { type: 'json' } });",
  'const url = import.meta.url, c = x.import("./property"), d = import(name);',
  "// import('./in-comment')",
  "const e = Array.from('abc'), f = { from: 'x' };",
].join('\n');

describe('import requests of a script', () => {
  it('are its literal import() calls, its static imports, and the lines of the computed calls', () => {
    const { imports, statics } = moduleRequests(MODULE);
    assert.deepEqual(imports, { requests: ['./lazy.mjs', './with.json'], computed: [5] });
    assert.deepEqual(statics, ['./side.js', './a.mjs', 'pkg', './b.mjs']);
  });
});
