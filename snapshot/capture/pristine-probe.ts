// Run by a fresh process of the target's own Node binary (capture/pristine.ts): prints on stdout, as
// JSON, its global names, the own keys of each global and of its prototype, and the functionPrint
// of every function the built-in walk names or meets again, by path, over the built-in modules the
// target had loaded (argv[2], a JSON list, in the target's order: the walk then gives the same paths
// there).
import { functionPrint, ownGlobalKeys } from '../heap/builtins';
import { buildRegistry } from './agent/registry';
import type { PristineNames } from './agent/kept';

function pristineNames(loaded: string[]): PristineNames {
  const { globals, keys } = ownGlobalKeys();
  const getBuiltin = (process as unknown as { getBuiltinModule(name: string): unknown }).getBuiltinModule;
  // Every path the walk asks about a function at, its first name and any other: the target's walk asks the same.
  const printed: Record<string, string> = {};
  const { registry } = buildRegistry(getBuiltin, loaded, globals, keys, {
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
  return { globals, keys, functions, aliases };
}

process.stdout.write(JSON.stringify(pristineNames(JSON.parse(process.argv[2] ?? '[]') as string[])));
