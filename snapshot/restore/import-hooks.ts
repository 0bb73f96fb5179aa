// Modules the restored program imports after the restore (docs/ARCHITECTURE.md §2). Node's ES
// module loader reads files itself, past the CommonJS loader's hooks (requirable.ts), and its cache
// does not hold the restored modules: an `import()` (prettier's plugins, a lazily loaded module of
// the program's) resolves and reads from disk, and a host with a filesystem of its own has none of
// the program's files. So the loader is given hooks (module.register) that resolve the specifiers
// the checkpoint saw as Node resolved them there, and read a file the checkpoint carries from its
// copy where it is missing, in the format Node gave it there, and load a restored module's stand-in
// at its URL (module-stand-ins.ts). They are registered only when the checkpoint has such imports
// or stand-ins: the loader runs its hooks on a thread of its own.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { constants, Script } from 'node:vm';
import type { ModuleFormat, RequirableFile } from '../format/sections';

/** What the hooks are handed (structured-cloned to the loader's thread). */
interface ImportTables {
  /** `importer's directory\0specifier` → the URL it resolved to at the checkpoint. */
  resolved: Array<[string, string]>;
  /** The carried texts by URL: loaded from here where the file is missing. */
  texts: Array<[string, { format: ModuleFormat; source: string }]>;
  /** The restored modules' stand-ins by URL (module-stand-ins.ts): loaded instead of their files. */
  standIns: Array<[string, string]>;
}

/**
 * Registers the hooks when an `import` of the program's resolves to a file, or a restored module
 * has a stand-in; `mapPath` as for the heap's paths (paths.ts): a program run elsewhere (`--cwd`)
 * loads the files at their new paths.
 */
export function installImportHooks(
  requirable: RequirableFile[],
  mapPath: (value: string) => string,
  standIns: Map<string, string>,
): void {
  const tables: ImportTables = { resolved: [], texts: [], standIns: [...standIns] };
  for (const file of requirable) {
    if (!file.importedAs?.length || !file.format) continue;
    const url = pathToFileURL(mapPath(file.path)).href;
    // The restored code keeps its files' old names (its import() asks from there); what loads anew lies in the new place.
    for (const [dir, specifier] of file.importedAs)
      for (const from of new Set([dir, mapPath(dir)])) tables.resolved.push([`${from}\0${specifier}`, url]);
    if (file.text !== undefined) tables.texts.push([url, { format: file.format, source: file.text }]);
  }
  if (tables.resolved.length === 0 && tables.standIns.length === 0) return;
  register(moduleOfHooks(importHooks), { data: tables });
}

/**
 * Node warns that vm.USE_MAIN_CONTEXT_DEFAULT_LOADER is experimental the first time code compiled
 * with it (the restored functions, functions.ts) calls import(): a line on stderr the original run
 * never printed. Node warns once per feature, so a first import() made here, with its warning let
 * go, leaves none for the program.
 */
export function spendImportWarning(): void {
  // The smallest script whose import() goes through that loader: a built-in, loaded at no cost.
  const script = new Script('import("node:path")', {
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const emitWarning = process.emitWarning;
  process.emitWarning = () => undefined;
  try {
    void (script.runInThisContext() as Promise<unknown>).catch(() => undefined);
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** The hooks module: the factory's text, which must be self-contained (it runs in the loader's thread, from a `data:` URL). */
function moduleOfHooks(factory: typeof importHooks): string {
  // Transpilers that keep function names wrap inner functions in a `__name` helper: a stand-in (as cdp/in-target.ts does).
  const text = `const __name = (f) => f; export const { initialize, resolve, load } = (${factory.toString()})();`;
  return `data:text/javascript,${encodeURIComponent(text)}`;
}

interface Builtins {
  getBuiltinModule(name: 'node:fs'): typeof import('node:fs');
  getBuiltinModule(name: 'node:path'): typeof import('node:path');
  getBuiltinModule(name: 'node:url'): typeof import('node:url');
}

/** Runs in the loader's thread: resolution as at the checkpoint first, then Node's; a carried file's text where the file is missing. */
function importHooks(): {
  initialize: (tables: ImportTables) => void;
  resolve: import('node:module').ResolveHook;
  load: import('node:module').LoadHook;
} {
  const builtins = process as unknown as Builtins;
  const { existsSync } = builtins.getBuiltinModule('node:fs');
  const { dirname } = builtins.getBuiltinModule('node:path');
  const { fileURLToPath } = builtins.getBuiltinModule('node:url');
  let resolved = new Map<string, string>();
  let texts = new Map<string, { format: ModuleFormat; source: string }>();
  let standIns = new Map<string, string>();
  /** A restored module named by a relative or absolute path from a file: found without its file, which may be missing here. */
  const standInNamed = (specifier: string, parent: string | undefined): string | undefined => {
    if (!parent?.startsWith('file:') || !/^(\.{1,2}\/|\/|file:)/.test(specifier)) return undefined;
    const url = new URL(specifier, parent).href;
    return standIns.has(url) ? url : undefined;
  };
  return {
    initialize(tables) {
      resolved = new Map(tables.resolved);
      texts = new Map(tables.texts);
      standIns = new Map(tables.standIns);
    },
    resolve(specifier, context, nextResolve) {
      const parent = context.parentURL;
      const known = parent?.startsWith('file:') && resolved.get(`${dirname(fileURLToPath(parent))}\0${specifier}`);
      if (known) return { url: known, shortCircuit: true };
      const restored = standInNamed(specifier, parent);
      if (restored) return { url: restored, shortCircuit: true };
      // A carried file named by its URL: a `require` of an imported CommonJS module, resolved by the CommonJS loader's hook.
      if (texts.has(specifier)) return { url: specifier, shortCircuit: true };
      return nextResolve(specifier, context);
    },
    load(url, context, nextLoad) {
      const standIn = standIns.get(url);
      if (standIn !== undefined) return { format: 'module', source: standIn, shortCircuit: true };
      const carried = texts.get(url);
      if (!carried || existsSync(fileURLToPath(url))) return nextLoad(url, context);
      return { format: carried.format, source: carried.source, shortCircuit: true };
    },
  };
}
