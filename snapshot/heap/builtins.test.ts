// Built-in paths resolved as the restore resolves them, and the prints that name Node's functions a
// program displaced (capture/agent/runtime-names.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { functionPrint, resolveBuiltinPath } from './builtins';

const SEP = '\u0000';

/** An object with an export as Node's defineLazyProperties makes it: a getter that turns into a value once read. */
function lazyModule(): { module: object; get: () => unknown; set: (value: unknown) => void } {
  const module = {};
  const set = (value: unknown) => Object.defineProperty(module, 'Thing', { value, writable: true, enumerable: true });
  const get = () => {
    const value = class Thing {};
    set(value);
    return value;
  };
  Object.defineProperty(module, 'Thing', { get, set, enumerable: true, configurable: true });
  return { module, get, set };
}

describe('built-in paths', () => {
  it("resolves a string key's setter (a `set:` step is not a symbol's)", () => {
    const { module, set } = lazyModule();
    assert.equal(
      resolveBuiltinPath(`module:lazy${SEP}set:Thing`, () => module),
      set,
    );
  });

  it('still names the getter and setter of a lazy export once reading it turned it into a value', () => {
    const { module, get, set } = lazyModule();
    const getBuiltin = () => module;
    const value = resolveBuiltinPath(`module:lazy${SEP}p:Thing`, getBuiltin);
    assert.equal(typeof value, 'function');
    assert.ok('value' in Object.getOwnPropertyDescriptor(module, 'Thing')!, 'the getter replaced itself');
    assert.equal(resolveBuiltinPath(`module:lazy${SEP}get:Thing`, getBuiltin), get);
    assert.equal(resolveBuiltinPath(`module:lazy${SEP}set:Thing`, getBuiltin), set);
  });
});

describe('functionPrint', () => {
  const made = (name: string) => {
    const fn = function () {
      return 1;
    };
    Object.defineProperty(fn, 'name', { value: name });
    return fn;
  };

  it('tells functions of one text apart by their names', () => {
    assert.notEqual(functionPrint(made('get Dir')), functionPrint(made('get opendir')));
  });

  it('gives closures of one text and name one print (which then names none of them)', () => {
    assert.equal(functionPrint(made('get Dir')), functionPrint(made('get Dir')));
  });

  it('starts with the length of the text, which the walk checks before hashing', () => {
    const fn = made('f');
    assert.ok(functionPrint(fn).startsWith(`${Function.prototype.toString.call(fn).length}:`));
  });
});
