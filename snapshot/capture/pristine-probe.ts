// Run by a fresh process of the target's own Node binary (capture/pristine.ts): prints on stdout, as
// JSON, its global names, the own keys and settable primitives of each global, built-in module and
// their prototypes (heap/builtins.ts builtinOwners), and the functionPrint of every function the
// built-in walk names or meets again, by path, over the built-in modules the target had loaded
// (argv[2], a JSON list, in the target's order: the walk then gives the same paths there).
import { builtinOwners, functionPrint, pristineOf } from '../heap/builtins';
import { buildRegistry } from './agent/registry';
import type { PristineNames } from './agent/kept';

/**
 * Built-in modules not loaded here for their keys: loading them changes other modules (domain
 * patches EventEmitter) or prints a warning. A program that loads one has it in the loaded list.
 */
const NOT_PROBED = new Set(['domain', 'sys', 'punycode', 'wasi', 'test', 'sqlite', 'sea']);

function pristineNames(loaded: string[]): PristineNames {
  const getBuiltin = (process as unknown as { getBuiltinModule(name: string): unknown }).getBuiltinModule;
  const globals = Reflect.ownKeys(globalThis).filter((k): k is string => typeof k === 'string');
  const asLoaded = pristineOf(builtinOwners(getBuiltin, loaded, globals));
  // Every path the walk asks about a function at, its first name and any other: the target's walk asks the same.
  const printed: Record<string, string> = {};
  const { registry } = buildRegistry(getBuiltin, loaded, globals, asLoaded.keys, {
    isProgramValue: (fn, path) => {
      printed[path] = functionPrint(fn as object);
      return false;
    },
    unwrap: (fn) => fn,
  });
  const functions: Record<string, string> = {};
  for (const [value, path] of registry) if (typeof value === 'function') functions[path] = functionPrint(value);
  const aliases: Record<string, string> = {};
  for (const [path, print] of Object.entries(printed)) if (!(path in functions)) aliases[path] = print;
  // After the walk: the modules a program may load after its first checkpoint, whose keys it may add to.
  const later = pristineOf(builtinOwners(getBuiltin, modulesNotIn(loaded), []));
  return {
    globals,
    keys: { ...asLoaded.keys, ...later.keys },
    values: { ...asLoaded.values, ...later.values },
    functions,
    aliases,
  };
}

function modulesNotIn(loaded: string[]): string[] {
  const { builtinModules } = (
    process as unknown as { getBuiltinModule(name: 'module'): { builtinModules: string[] } }
  ).getBuiltinModule('module');
  return builtinModules.filter((name) => !name.startsWith('_') && !loaded.includes(name) && !NOT_PROBED.has(name));
}

process.stdout.write(JSON.stringify(pristineNames(JSON.parse(process.argv[2] ?? '[]') as string[])));
