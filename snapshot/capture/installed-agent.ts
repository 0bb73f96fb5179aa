// The capture agent (dist/agent.js) is installed in the target once, on its global object under a
// registered symbol named after a hash of its code, and kept there between checkpoints: later ones
// of the same process neither send nor compile it again, and it keeps what does not change
// (agent/kept.ts). Another Ferry's agent is under another name. The walk leaves it out.
import { createHash, randomUUID } from 'node:crypto';
import { agentSource } from '../assets';
import { callInTarget, callInTargetWithBundle } from '../cdp/in-target';
import { AGENT_KEY_PREFIX, type HandedAhead, type KeptState } from './agent/kept';
import type { TargetSession } from './target-session';

interface InstalledAgent {
  keptState(): KeptState;
  keepAhead(sent: HandedAhead): KeptState;
  workAhead(sliceMs: number, token: string, userScriptIds?: string[]): boolean;
}

let key: string | undefined;

function agentKey(): string {
  return (key ??= `${AGENT_KEY_PREFIX}${createHash('sha256').update(agentSource()).digest('hex').slice(0, 16)}`);
}

/** The expression that names the installed agent in the target. */
export function installedAgent(): string {
  return `globalThis[Symbol.for(${JSON.stringify(agentKey())})]`;
}

/** Runs in the target: what the installed agent keeps, or null when it is not there. */
function keptInTarget(key: string): KeptState | null {
  const agent = (globalThis as Record<symbol, InstalledAgent | undefined>)[Symbol.for(key)];
  return agent ? agent.keptState() : null;
}

/** Runs in the target: installs the agent (non-enumerable, like the runtime's own globals). */
function installInTarget(make: () => InstalledAgent, key: string): KeptState {
  const symbol = Symbol.for(key);
  let agent = (globalThis as Record<symbol, InstalledAgent | undefined>)[symbol];
  if (!agent) {
    agent = make();
    Object.defineProperty(globalThis, symbol, { value: agent, configurable: true });
  }
  return agent.keptState();
}

/** Runs in the target: hands the installed agent what it keeps. */
function keepInTarget(key: string, sent: HandedAhead): KeptState {
  return (globalThis as Record<symbol, InstalledAgent>)[Symbol.for(key)].keepAhead(sent);
}

/** Runs in the target: one slice of the agent's work ahead of the stop. */
function workAheadInTarget(key: string, sliceMs: number, token: string, userScriptIds?: string[]): boolean {
  return (globalThis as Record<symbol, InstalledAgent>)[Symbol.for(key)].workAhead(sliceMs, token, userScriptIds);
}

async function evaluate<T = KeptState | null>(
  session: Pick<TargetSession, 'cdp'>,
  expression: string,
  doing = 'be installed in the target',
): Promise<T> {
  const { result, exceptionDetails } = await session.cdp.send('Runtime.evaluate', {
    expression,
    returnByValue: true,
    silent: true,
  });
  if (exceptionDetails)
    throw new Error(
      `the capture agent could not ${doing}: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`,
    );
  return result.value as T;
}

/** Installs the agent unless the target has it already, and says what it keeps. */
export async function installAgent(session: Pick<TargetSession, 'cdp'>): Promise<KeptState> {
  return (
    (await evaluate(session, callInTarget(keptInTarget, agentKey()))) ??
    (await evaluate(
      session,
      callInTargetWithBundle(installInTarget, { source: agentSource(), name: '__ferryAgent' }, agentKey()),
    ))!
  );
}

/** Hands the installed agent the runtime's names and script facts before the stop (agent/kept.ts HandedAhead). */
export async function handAhead(session: Pick<TargetSession, 'cdp'>, sent: HandedAhead): Promise<KeptState> {
  return (await evaluate(session, callInTarget(keepInTarget, agentKey(), sent), 'keep what it was sent'))!;
}

/** A slice of the work ahead runs this long at first: far under what a program notices. */
const FIRST_SLICE_MS = 8;
/** The longest: a round trip longer than a slice (a target over SSH) doubles it, up to this. */
const LONGEST_SLICE_MS = 64;

/**
 * Has the agent make its built-in graph, then read the program's functions, while the program
 * runs, a slice per call: the program runs on between them, and the stop only checks that the
 * graph still holds and uses the reads that still do. Returns the token the capture passes on, so
 * that only its own stop uses these reads.
 */
export async function workAhead(session: Pick<TargetSession, 'cdp'>, userScriptIds: string[]): Promise<string> {
  const token = randomUUID();
  let sliceMs = FIRST_SLICE_MS;
  for (let ids: string[] | undefined = userScriptIds; ; ids = undefined) {
    const sent = performance.now();
    const expression = callInTarget(workAheadInTarget, agentKey(), sliceMs, token, ids);
    if (await evaluate<boolean>(session, expression, 'work ahead of the stop')) return token;
    if (performance.now() - sent > 2 * sliceMs) sliceMs = Math.min(2 * sliceMs, LONGEST_SLICE_MS);
  }
}
