// What the agent keeps between checkpoints of its process, installed there once
// (capture/installed-agent.ts): the fresh runtime's names and the script facts the controller sent
// (neither changes while the process lives), the built-in graph, while it still holds
// (builtin-graph.ts: a module loaded lazily can make new built-in objects reachable, a program can
// replace a function it named), and which contexts each function closes over as the last heap
// snapshot told (a function's contexts never change).
import type { PristineKeys, PristineValues } from '../../heap/builtins';
import type { ScriptFacts } from './closures';
import { spansByName, type ClosureAssigned } from './text-spans';
import type { KeptGraph } from './builtin-graph';

/** The agent is installed on the global object under a registered symbol: this, then a hash of its code. */
export const AGENT_KEY_PREFIX = 'ferry.agent ';

export function isAgentKey(key: symbol): boolean {
  return Symbol.keyFor(key)?.startsWith(AGENT_KEY_PREFIX) ?? false;
}

/** What a fresh process of the target's Node has (capture/pristine.ts). */
export interface PristineNames {
  globals: string[];
  keys: PristineKeys;
  values: PristineValues;
  /**
   * The functionPrint (heap/builtins.ts) of each function the built-in walk names, by path, over
   * the modules the target had loaded when asked (capture/pristine-probe.ts).
   */
  functions: Record<string, string>;
  /**
   * The functionPrint of each function the walk meets again at another path (a second name of
   * it: `Number.parseFloat`, the global `parseFloat`), by that path: a program that left it alone
   * has the same function there, and no inspector call need tell whose it is.
   */
  aliases: Record<string, string>;
}

/** Script facts as the controller sends them (capture/analysis.ts), the lists the agent reads. */
export interface SentFacts {
  moduleNames: string[];
  mutableNames: string[];
  closureAssigned?: ClosureAssigned[];
  freshValueNames: string[];
  aliasedParameters: string[];
  hidesBindings: boolean;
  lexicalThisArrows: string[];
  superMethods: string[];
  evaluatedClassKeys: Record<string, string[]>;
  dynamicImport: boolean;
}

/** What the agent already has, so that the controller sends only the rest. */
export interface KeptState {
  pristine: boolean;
  /** Scripts whose facts it has. */
  scripts: string[];
}

let pristine: PristineNames | undefined;
const facts = new Map<string, ScriptFacts>();
let graph: KeptGraph | undefined;

export function keptState(): KeptState {
  return { pristine: !!pristine, scripts: [...facts.keys()] };
}

/** Keeps what the controller sent; the runtime's names it sends only when the agent does not have them. */
export function keep(sent: PristineNames | undefined, scriptFacts: Record<string, SentFacts>): PristineNames {
  pristine ??= sent;
  for (const [scriptId, f] of Object.entries(scriptFacts)) facts.set(scriptId, factsFromSent(f));
  return keptPristine();
}

/** Script facts as the agent looks them up: sets and maps of what the controller sent as lists. */
export function factsFromSent(f: SentFacts): ScriptFacts {
  return {
    moduleNames: new Set(f.moduleNames),
    mutableNames: new Set(f.mutableNames),
    closureAssigned: f.closureAssigned && spansByName(f.closureAssigned),
    freshValueNames: new Set(f.freshValueNames),
    aliasedParameters: new Set(f.aliasedParameters),
    hidesBindings: f.hidesBindings,
    lexicalThisArrows: new Set(f.lexicalThisArrows),
    superMethods: new Set(f.superMethods),
    evaluatedClassKeys: new Map(Object.entries(f.evaluatedClassKeys)),
    dynamicImport: f.dynamicImport,
  };
}

export function keptPristine(): PristineNames {
  if (!pristine) throw new Error("the capture agent was not given the fresh runtime's names");
  return pristine;
}

/**
 * What the controller hands over while the program still runs: sent with the stop's own call, the
 * runtime's names alone (200 KB) cost the stop 15–25 ms of transfer.
 */
export interface HandedAhead {
  pristine?: PristineNames;
  scriptFacts: Record<string, SentFacts>;
}

export function keepAhead({ pristine: sent, scriptFacts }: HandedAhead): KeptState {
  keep(sent, scriptFacts);
  return keptState();
}

export function keptFacts(scriptId: string): ScriptFacts | undefined {
  return facts.get(scriptId);
}

/** Whether any of the program's scripts calls `import()`. */
export function anyDynamicImport(): boolean {
  for (const f of facts.values()) if (f.dynamicImport) return true;
  return false;
}

/** The built-in graph made last time (agent/builtin-graph.ts decides whether it still holds). */
export function keptGraph(): KeptGraph | undefined {
  return graph;
}

export function keepGraph(made: KeptGraph | undefined): void {
  graph = made;
}

/** A function's closure contexts, innermost first, as one heap snapshot named them: opaque tokens. */
export interface KeptContexts {
  /** The snapshot that named them: tokens of two snapshots are not comparable. */
  snapshot: number;
  chain: number[];
}

let snapshots = 0;
const contexts = new WeakMap<object, KeptContexts>();

/** A heap snapshot is deciding contexts: its number, under which keepContexts records what it tells. */
export function newContextSnapshot(): number {
  return ++snapshots;
}

export function keepContexts(fn: object, chain: number[], snapshot: number): void {
  contexts.set(fn, { snapshot, chain });
}

/** The contexts the last snapshot told for this function, if it told them. */
export function keptContexts(fn: object): number[] | undefined {
  const kept = contexts.get(fn);
  return kept?.snapshot === snapshots ? kept.chain : undefined;
}

/** Whether some heap snapshot has told contexts in this process. */
export function contextsKept(): boolean {
  return snapshots > 0;
}
