// A restored module's stand-in, imported in this process as the restored program's loader would
// load it: its exports are the restored bindings themselves (or an importer's copy), never new ones.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { moduleLinks } from '../resume/module-links';
import { moduleStandIns } from './module-stand-ins';
import type { BindingRef, LoadedModule } from './live-bindings';

const URL_HERE = 'file:///srv/app/lib.mjs';

/** A module whose context (record 1) lists `names`, its anonymous default copied by an importer (record 2). */
function restoredModule(source: string, names: string[]): LoadedModule {
  return {
    context: 1,
    links: moduleLinks(source)!,
    names,
    source,
    copies: new Map([['default', { context: 2, name: 'options' }]]),
  };
}

/** Imports a stand-in's text as a module of its own (a `data:` URL: it names no file). */
const importText = (text: string) => import(`data:text/javascript,${encodeURIComponent(text)}`);

describe('module stand-ins', () => {
  const options = { kind: 'options' };
  const bump = () => 1;
  const bindings: Record<number, Record<string, unknown>> = { 1: { label: 'n', bump, level: 1 }, 2: { options } };
  const readLive = ({ context, name }: BindingRef) => bindings[context][name];

  it('exports the restored bindings, and an importer copy of an anonymous default', async () => {
    const source = `export const label = 'n'; export function bump() {} export default { kind: 'options' };`;
    const modules = new Map([[URL_HERE, restoredModule(source, ['label', 'bump'])]]);
    const texts = moduleStandIns(modules, readLive, (path) => path);
    const namespace = await importText(texts.get(URL_HERE)!);
    assert.equal(namespace.label, 'n');
    assert.equal(namespace.bump, bump);
    assert.equal(namespace.default, options);
  });

  it('is found at the URL the program runs under elsewhere too', () => {
    const modules = new Map([[URL_HERE, restoredModule('export const label = 1;', ['label'])]]);
    const texts = moduleStandIns(modules, readLive, (path) => path.replace('/srv/app', '/home/u/app'));
    assert.deepEqual([...texts.keys()], [URL_HERE, 'file:///home/u/app/lib.mjs']);
    assert.equal(texts.get(URL_HERE), texts.get('file:///home/u/app/lib.mjs'));
  });

  it('refuses an export its module reassigns: a copy would go stale', async () => {
    const source = `export let level = 1; export function raise() { level++; }`;
    const modules = new Map([[URL_HERE, restoredModule(source, ['level', 'raise'])]]);
    const texts = moduleStandIns(modules, readLive, (path) => path);
    await assert.rejects(importText(texts.get(URL_HERE)!), /^Error: ferry: cannot import .*lib\.mjs again .*"level"/);
  });
});
