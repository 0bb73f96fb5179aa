// Source facts for every script of the program, fetched and analysed once per session.
import { analyzeScript, type ScriptFacts } from './analysis';
import { isRuntimeScript, type TargetSession } from './target-session';

export async function analyzeUserScripts(session: TargetSession): Promise<Record<string, ScriptFacts>> {
  const cache = (session.scriptFacts ??= new Map());
  const out: Record<string, ScriptFacts> = {};
  for (const script of session.scripts.values()) {
    if (!script.url || isRuntimeScript(script.url)) continue;
    if (!cache.has(script.scriptId)) {
      const source = await session.cdp.send('Debugger.getScriptSource', { scriptId: script.scriptId }).then(
        (r) => r.scriptSource,
        () => undefined,
      );
      cache.set(script.scriptId, source === undefined ? null : (analyzeScript(source) ?? null));
    }
    const facts = cache.get(script.scriptId);
    if (facts) out[script.scriptId] = facts;
  }
  return out;
}
