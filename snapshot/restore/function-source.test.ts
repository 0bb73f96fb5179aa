// The members a restored class defines, and the placeholder keys of those whose key was an
// expression its copy must not evaluate again (undici's `[kDispatch]()`, `[util.inspect.custom]()`).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { functionExpression, restoredClassMembers } from './function-source';

const CLASS = `class Client {
  #socket;
  [kDispatch] (opts) { return this.#socket.write(opts); }
  static   [util.inspect.custom]() { return super.name; }
  get [kState]() { return this.#socket; }
  [kDone]() { return 1; }
  plain() {}
  'quoted'() {}
  *[Symbol.iterator]() {}
}`;

describe('a restored class keyed by expressions', () => {
  const members = restoredClassMembers(CLASS);

  it('defines a method naming a private member or super under a placeholder, never its expression', () => {
    const placeholders = members.filter((m) => typeof m.key === 'string' && /^[\ue000-\uf8ff]$/.test(m.key));
    assert.deepEqual(
      placeholders.map((m) => [m.kind, m.static, m.text.slice(0, 22)]),
      [
        ['method', false, '[kDispatch] (opts) { r'],
        ['method', true, '[util.inspect.custom]('],
        ['get', false, 'get [kState]() { retur'],
      ],
    );
    assert.equal(new Set(placeholders.map((m) => m.key)).size, 3);
    const { code } = functionExpression(CLASS);
    for (const expression of ['kDispatch', 'util.inspect.custom', 'kState']) assert.ok(!code.includes(expression));
  });

  it('keeps every line of the class at its length, so its functions stay at their columns', () => {
    const { code, textStart } = functionExpression(CLASS);
    const lengths = (text: string) => text.split('\n').map((line) => line.length);
    const restored = code.slice(textStart, textStart + CLASS.length);
    assert.deepEqual(lengths(restored), lengths(CLASS));
  });

  it('names the other members by their own keys, and leaves out those made on their own', () => {
    const own = members.filter((m) => !(typeof m.key === 'string' && /^[\ue000-\uf8ff]$/.test(m.key)));
    assert.deepEqual(
      own.map((m) => m.key),
      ['plain', 'quoted', Symbol.iterator],
    );
    assert.ok(!members.some((m) => m.text.startsWith('[kDone]')));
  });

  it('takes no placeholder the class text holds', () => {
    const [first] = restoredClassMembers(CLASS.replace('quoted', '\ue000'));
    assert.equal(first.key, '\ue001');
  });
});

describe('a method V8 gives without its name', () => {
  it('makes a class method named `static` from its text, which starts at its parameters', () => {
    class Reader {
      static(patterns: string[]) {
        return patterns.length;
      }
    }
    const source = Reader.prototype.static.toString();
    assert.match(source, /^\(patterns\)/);
    const { form, code, textStart } = functionExpression(source);
    assert.equal(form, 'method');
    assert.equal(code.slice(textStart, textStart + source.length), source);
    assert.equal((0, eval)(code)(['a', 'b']), 2);
  });
});

describe('arrows made without a full parse', () => {
  // Each text as Function.prototype.toString gives it, with the form it must be made in.
  const texts: Array<[string, string]> = [
    ['(a, { b } = {}) => a + b', 'expression'],
    ['async x => `${x}:${[1, 2].map((y) => y)}`', 'expression'],
    ['(a = (() => 1)()) => { return a; }', 'expression'],
    ['async() { return 1; }', 'method'],
    ['f(g = () => 2) { return g(); }', 'method'],
    ["[(() => 'k')()](x) { return x; }", 'method'],
    ['get value() { return 3; }', 'getter'],
  ];

  it('tells an arrow from a method by its head, and makes each in its form', () => {
    assert.deepEqual(
      texts.map(([text]) => functionExpression(text).form),
      texts.map(([, form]) => form),
    );
  });

  it('makes an arrow that names no `this` as its text, and one that does through its rewrite', () => {
    assert.equal(functionExpression('(a) => a * 2').code, '((a) => a * 2)');
    assert.match(functionExpression('() => this.x').code, /\$ferryThis\.x/);
    const made = (0, eval)(functionExpression('(a, { b } = {}) => a + b').code) as (a: number, o: object) => number;
    assert.equal(made(1, { b: 2 }), 3);
  });
});

describe('an arrow made unparsed', () => {
  it('is marked so, for the capture to have V8 check it; one naming a private member is parsed', () => {
    assert.equal(functionExpression('() => %IsBeingInterpreted()').unparsed, true);
    assert.equal(functionExpression('(o) => o.#size').unparsed, undefined);
    assert.equal(functionExpression('(o) => o.#size').form, 'expression');
  });
});
