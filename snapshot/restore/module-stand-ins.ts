// ES modules imported again after the restore. The restored program's loader has none of the
// modules loaded before the checkpoint: an `import()` of one (or the static import of a module
// loaded only now) would evaluate its file a second time, with its side effects again and state of
// its own, while the restored functions go on with the restored bindings. So the import hooks
// (import-hooks.ts) load, at a restored module's URL, a stand-in module that evaluates nothing of
// the program's: it exports the restored module's bindings, read from its restored context when
// it is first imported, and passes on its `export ... from` statements as written.
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BindingRef, LoadedModule } from './live-bindings';

/** The global through which a stand-in reads its module's bindings (a symbol: no program name clashes with it). */
const READER = Symbol.for('ferry.restored-module');

/**
 * The stand-ins' texts by URL: the restored module's, and where the program runs elsewhere
 * (`--cwd`) its URL there too. Makes the reader they call reachable to them first.
 */
export function moduleStandIns(
  modules: Map<string, LoadedModule>,
  readLive: (binding: BindingRef) => unknown,
  mapPath: (value: string) => string,
): Map<string, string> {
  const texts = new Map<string, string>();
  if (modules.size === 0) return texts;
  Object.defineProperty(globalThis, READER, { value: exportReader(modules, readLive), configurable: true });
  for (const [url, module] of modules) {
    const text = standInText(url, module);
    texts.set(url, text);
    if (url.startsWith('file:')) texts.set(pathToFileURL(mapPath(fileURLToPath(url))).href, text);
  }
  return texts;
}

/**
 * What a stand-in calls: its module's URL and an exported name → the binding's value now. The error
 * thrown is the program's (its import() rejects with it): a binding its module reassigns would be
 * a copy in the stand-in, silently stale after the next assignment.
 */
function exportReader(
  modules: Map<string, LoadedModule>,
  readLive: (binding: BindingRef) => unknown,
): (url: string) => (exported: string) => unknown {
  return (url) => {
    const module = modules.get(url)!;
    return (exported) => {
      const local = module.links.exports.get(exported)!;
      if (module.links.reassigned.has(local))
        throw new Error(
          `ferry: cannot import ${url} again after the restore: its module reassigns its export "${exported}", which a module imported anew could not follow`,
        );
      if (module.context !== undefined && module.names.includes(local))
        return readLive({ context: module.context, name: local });
      const copy = module.copies.get(exported);
      if (copy) return readLive(copy);
      throw new Error(`ferry: cannot import ${url} again after the restore: its export "${exported}" was not carried`);
    };
  };
}

/** A module exporting the restored one's bindings under their names, and its re-exports as written. */
function standInText(url: string, module: LoadedModule): string {
  const exported = [...module.links.exports.keys()];
  const reads = exported.map((name, i) => `const $ferry${i} = $ferryRead(${JSON.stringify(name)});`);
  const names = exported.map((name, i) => `$ferry${i} as ${JSON.stringify(name)}`);
  const reexports = module.links.reexportRanges.map(([start, end]) => module.source.slice(start, end));
  return [
    `const $ferryRead = globalThis[Symbol.for(${JSON.stringify(READER.description)})](${JSON.stringify(url)});`,
    ...reads,
    names.length ? `export { ${names.join(', ')} };` : '',
    ...reexports,
  ].join('\n');
}
