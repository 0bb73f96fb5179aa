// What a fresh process of the target's own Node binary has, asked once per binary: its global
// names (whatever else is on the target's global object, the program put there) and the own keys
// of each global and of its prototype (what a library hung on Error or Promise is the program's,
// not a built-in that a fresh process could name).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { CdpConnection } from '../cdp/connection';
import { pristineKeysScript } from '../heap/builtins';

export interface PristineRuntime {
  globals: string[];
  /** Own string keys per built-in path (`global:Error`, `global:Error` + `.prototype`), see builtins.ts. */
  keys: Record<string, string[]>;
}

const cache = new Map<string, PristineRuntime>();

export async function pristineRuntime(cdp: CdpConnection): Promise<PristineRuntime> {
  const { result } = await cdp.send('Runtime.evaluate', { expression: 'process.execPath', returnByValue: true });
  const execPath = String(result.value);
  let pristine = cache.get(execPath);
  if (!pristine) {
    // Asked without blocking: capture reads the program's scripts meanwhile.
    const { stdout } = await promisify(execFile)(execPath, ['-e', pristineKeysScript()], {
      encoding: 'utf8',
      env: {},
      maxBuffer: 64 << 20,
    });
    pristine = JSON.parse(stdout) as PristineRuntime;
    cache.set(execPath, pristine);
  }
  return pristine;
}
