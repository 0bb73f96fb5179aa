// Run by a fresh process of the target's own Node binary (capture/pristine.ts): prints on stdout, as
// JSON, its global names, the own keys of each global and of its prototype, and the functionPrint
// of every function the built-in walk names, by path, over the built-in modules the target had
// loaded (argv[2], a JSON list, in the target's order: the walk then gives the same paths there).
import { functionPrint, ownGlobalKeys } from '../heap/builtins';
import { buildRegistry } from './agent/registry';
import type { PristineNames } from './agent/kept';

function pristineNames(loaded: string[]): PristineNames {
  const { globals, keys } = ownGlobalKeys();
  const getBuiltin = (process as unknown as { getBuiltinModule(name: string): unknown }).getBuiltinModule;
  const { registry } = buildRegistry(getBuiltin, loaded, globals, keys);
  const functions: Record<string, string> = {};
  for (const [value, path] of registry) if (typeof value === 'function') functions[path] = functionPrint(value);
  return { globals, keys, functions };
}

process.stdout.write(JSON.stringify(pristineNames(JSON.parse(process.argv[2] ?? '[]') as string[])));
