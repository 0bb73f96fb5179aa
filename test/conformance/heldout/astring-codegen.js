// ferry-lines: 2,4
// acorn + astring: a code generator extended from astring's base generator (an object of methods
// that calls back into the state), rewriting parsed snippets one per timer step.
const acorn = require('acorn');
const { generate, GENERATOR } = require('astring');
let renamed = 0;
const generator = Object.assign({}, GENERATOR, {
  Identifier(node, state) {
    if (node.name.startsWith('_')) renamed++;
    state.write(node.name.startsWith('_') ? `priv$${node.name.slice(1)}` : node.name, node);
  },
});
const snippets = [
  'const _x = 1 + 2 * 3;',
  'function _f(a, _b) { return a ? _b : -a; }',
  'class A extends B { static #p = 1; get v() { return this._v ?? 0; } }',
  'for (const [k, v] of Object.entries(_o)) console.log(`${k}=${v}`);',
  'async function g() { await Promise.all([_a(), b?.c]); }',
];
const timer = setInterval(() => {
  const src = snippets.shift();
  const ast = acorn.parse(src, { ecmaVersion: 2022 });
  console.log(generate(ast, { generator, indent: '' }).replace(/\n/g, ' '), '| renamed', renamed);
  if (!snippets.length) clearInterval(timer);
}, 20);
