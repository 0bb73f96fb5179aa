// What the program changed on built-in objects, other than replacing Node's functions (registry.ts
// finds those): properties it added (`process.appState = {}`, `Array.prototype.last = fn`,
// `require('os').tag = 'x'`) and primitives it set (`Error.stackTraceLimit = 50`, `Buffer.poolSize`,
// `EventEmitter.defaultMaxListeners`), told apart from a fresh process of the same Node
// (capture/pristine.ts). The restored process starts fresh: each is carried and made again there.
import { builtinOwners, isConfiguredObject, isSettingAccessor, primitiveText } from '../../heap/builtins';
import type { PristineNames } from './kept';

/**
 * What the restore makes again: properties added, defined anew; values set, assigned again, on a
 * built-in or on a configured object named by its path (heap/builtins.ts CONFIGURED_OBJECTS).
 */
export interface BuiltinChanges {
  defined: Array<[owner: object, key: string, descriptor: PropertyDescriptor]>;
  assigned: Array<[owner: object | string, key: string, value: unknown]>;
}

/**
 * Properties Node sets on `process` from the command line or the inspector (`--inspect-brk` adds
 * `_breakFirstLine`, the inspector's port is `debugPort`): how the target was started, not what the
 * program did, and never made again in the restored process.
 */
const STARTUP_PROPERTIES = new Set([
  'debugPort',
  '_breakFirstLine',
  '_breakNodeFirstLine',
  '_eval',
  '_print_eval',
  '_forceRepl',
  '_preload_modules',
]);

const isStartupProperty = (path: string, key: string) => path === 'global:process' && STARTUP_PROPERTIES.has(key);

export function builtinChanges(
  pristine: Pick<PristineNames, 'globals' | 'keys' | 'values'>,
  getBuiltin: (name: string) => unknown,
  loadedModules: string[],
): BuiltinChanges {
  const changes: BuiltinChanges = { defined: [], assigned: [] };
  for (const [path, owner] of builtinOwners(getBuiltin, loadedModules, pristine.globals)) {
    const freshKeys = pristine.keys[path];
    if (!freshKeys) continue; // a module loaded since the fresh process was asked: nothing to tell apart
    // What a program adds to a configured object (an agent's own fields) is not told from Node's.
    if (!isConfiguredObject(path)) addedProperties(path, owner, new Set(freshKeys), changes);
    changedPrimitives(path, owner, pristine.values[path] ?? {}, changes);
  }
  return changes;
}

/** String keys a fresh process does not have (a symbol key on a built-in is Node's own, lazily added). */
function addedProperties(path: string, owner: object, freshKeys: Set<string>, changes: BuiltinChanges): void {
  for (const key of Object.getOwnPropertyNames(owner))
    if (!freshKeys.has(key) && !isStartupProperty(path, key))
      changes.defined.push([owner, key, Reflect.getOwnPropertyDescriptor(owner, key)!]);
}

/**
 * Writable primitives (and settings) whose value is not a fresh process's any more: assigned again,
 * as the program did, so that Node's own setters run (`process.title` is one behind a data property).
 */
function changedPrimitives(
  path: string,
  owner: object,
  freshValues: Record<string, string>,
  changes: BuiltinChanges,
): void {
  for (const [key, fresh] of Object.entries(freshValues)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(owner, key);
    // One the program deleted is not carried: the restored process keeps Node's.
    if (!descriptor || isStartupProperty(path, key)) continue;
    const value = isSettingAccessor(path, key) ? Reflect.get(owner, key) : descriptor.value;
    if (primitiveText(value) !== fresh) changes.assigned.push([isConfiguredObject(path) ? path : owner, key, value]);
  }
}
