// Source facts for every script of the program, fetched and analysed once per session (and per
// process: the installed agent keeps them).
import { analyzeScript, type ScriptFacts } from './analysis';
import { isFerryScript, isRuntimeScript, scriptSource, type TargetSession } from './target-session';

/**
 * Facts of the program's scripts, less those the agent has already (`known`): ES modules' always,
 * since capture checks their imports and exports itself.
 */
export async function analyzeUserScripts(
  session: TargetSession,
  known: ReadonlySet<string> = new Set(),
): Promise<Record<string, ScriptFacts>> {
  const cache = (session.scriptFacts ??= new Map());
  const wanted = [...session.scripts.values()].filter(
    (script) =>
      script.url &&
      !isRuntimeScript(script.url) &&
      // Ferry's agent (270 KB): its analysis was most of a first checkpoint's 'script analysis'.
      !isFerryScript(script.url) &&
      !(known.has(script.scriptId) && !script.isModule),
  );
  // Every source asked at once (one round trip each, answered in turn), each analysed as it comes.
  await Promise.all(
    wanted
      .filter((script) => !cache.has(script.scriptId))
      .map(async ({ scriptId, startLine, startColumn }) => {
        const source = await scriptSource(session, scriptId).catch(() => undefined);
        // A restored program's code is compiled from its original line on (V8 reports places so).
        const origin = { line: startLine, column: startColumn };
        cache.set(scriptId, source === undefined ? null : (analyzeScript(source, origin) ?? null));
      }),
  );
  const out: Record<string, ScriptFacts> = {};
  for (const { scriptId } of wanted) {
    const facts = cache.get(scriptId);
    if (facts) out[scriptId] = facts;
  }
  return out;
}
