// Every function a checkpoint carries is made again from its text at restore
// (restore/function-source.ts). One whose text cannot be is refused here, by name: found at restore,
// it would end the restored program after the original was stopped.
import type { FunctionSite } from '../format/sections';
import { Script } from 'node:vm';
import { functionExpression } from '../restore/function-source';
import type { ScriptTable } from './target-session';

export function functionsNotRemade(
  sites: readonly FunctionSite[],
  scripts: ScriptTable,
): Array<{ path: string; reason: string }> {
  const refusals: Array<{ path: string; reason: string }> = [];
  for (const site of sites) {
    try {
      const made = functionExpression(site.source);
      if (made.unparsed) new Script(made.code); // throws V8's SyntaxError where the restore's compile would
    } catch (error) {
      const url = scripts.get(site.scriptId)?.url ?? `script ${site.scriptId}`;
      refusals.push({
        path: `function at ${url}:${site.line + 1}:${site.column + 1}`,
        reason: `its text cannot be made into a function again (${error instanceof Error ? error.message : String(error)})`,
      });
    }
  }
  return refusals;
}
