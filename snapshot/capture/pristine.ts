// The global names a fresh process of the target's own Node binary has, asked once per binary:
// whatever else is on the target's global object, the program put there.
import { execFileSync } from 'node:child_process';
import type { CdpConnection } from '../cdp/connection';

const cache = new Map<string, string[]>();
const LIST = 'process.stdout.write(JSON.stringify(Reflect.ownKeys(globalThis).filter((k) => typeof k === "string")))';

export async function pristineGlobals(cdp: CdpConnection): Promise<string[]> {
  const { result } = await cdp.send('Runtime.evaluate', { expression: 'process.execPath', returnByValue: true });
  const execPath = String(result.value);
  let names = cache.get(execPath);
  if (!names) {
    names = JSON.parse(execFileSync(execPath, ['-e', LIST], { encoding: 'utf8', env: {} })) as string[];
    cache.set(execPath, names);
  }
  return names;
}
