// require() calls found in a script's text: literal requests, computed ones by line, and none of
// what only looks like one (in a comment, a string, a regular expression, a property, a longer word).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { requireCalls } from './source-text';

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
    assert.deepEqual(requireCalls(SOURCE), { requests: ['./a', 'pkg/sub', './template'], computed: [5, 7] });
  });
});
