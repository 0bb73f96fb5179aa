// What a fresh process of the target's own Node binary has, asked once per binary and set of loaded
// built-in modules: its global names (whatever else is on the target's global object, the program
// put there), the own keys of each global and of its prototype (what a library hung on Error or
// Promise is the program's, not a built-in that a fresh process could name), and the prints of
// the functions its built-in walk names (what a program replaced or took away, see
// capture/agent/runtime-names.ts). Run by dist/pristine.js (capture/pristine-probe.ts).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { CdpConnection } from '../cdp/connection';
import type { PristineNames } from './agent/kept';
import { pristineProbePath } from '../assets';
import { callInTarget } from '../cdp/in-target';

export type PristineRuntime = PristineNames;

const cache = new Map<string, PristineRuntime>();

/** The target's Node binary and the public built-in modules it has loaded, in the order it loaded them. */
function targetRuntime(): { execPath: string; loaded: string[] } {
  const target = process as unknown as { moduleLoadList: string[]; getBuiltinModule(name: string): unknown };
  const builtin = new Set((target.getBuiltinModule('module') as { builtinModules: string[] }).builtinModules);
  const loaded = target.moduleLoadList
    .filter((entry) => entry.startsWith('NativeModule '))
    .map((entry) => entry.slice('NativeModule '.length))
    .filter((name) => builtin.has(name) && !name.startsWith('_'));
  return { execPath: process.execPath, loaded };
}

export async function pristineRuntime(cdp: CdpConnection): Promise<PristineRuntime> {
  const { result } = await cdp.send('Runtime.evaluate', {
    expression: callInTarget(targetRuntime),
    returnByValue: true,
  });
  const { execPath, loaded } = result.value as ReturnType<typeof targetRuntime>;
  const key = `${execPath}\n${loaded.join(',')}`;
  let pristine = cache.get(key);
  if (!pristine) {
    // Asked without blocking: capture reads the program's scripts meanwhile.
    const { stdout } = await promisify(execFile)(execPath, [pristineProbePath(), JSON.stringify(loaded)], {
      encoding: 'utf8',
      env: {},
      maxBuffer: 64 << 20,
    });
    pristine = JSON.parse(stdout) as PristineRuntime;
    cache.set(key, pristine);
  }
  return pristine;
}
