// Where each function starts and the scopes it closes over. The inspector answers both per function,
// but builds every scope's variables anew for each one: a module of thousands of functions over a
// scope of thousands of variables (the TypeScript compiler) made millions of copies and gigabytes.
// With the heap snapshot, functions are grouped by their context chain, one function per chain has
// its scopes read, and the others take its scopes and their own start from the snapshot.
import type { HeapGraph } from './heap-graph';
import type { Introspector, InternalSlots } from './inspector';
import type { ProgramFunction } from '../../heap/program-value';
import type { SettledReads } from './settled-functions';

/** V8's heap snapshot costs about this much per MB of heap in use (taken, then parsed here): 65 ms of CPU measured. */
const SNAPSHOT_MS_PER_HEAP_MB = 65;
/** Functions read one by one before their cost is weighed against a snapshot's again. */
export const READ_CHUNK = 64;

/** The functions read one by one so far, and the CPU time they took. */
export interface ReadCost {
  functions: number;
  ms: number;
}

/**
 * Whether reading `remaining` more functions one by one, at what each has cost so far (their scopes
 * are copied for each), would take longer than one heap snapshot (in proportion to the heap).
 */
export function snapshotIsCheaper(remaining: number, cost: ReadCost, heapBytes: number): boolean {
  if (cost.functions === 0) return false;
  return (remaining * cost.ms) / cost.functions > (SNAPSHOT_MS_PER_HEAP_MB * heapBytes) / (1 << 20);
}

export type FunctionInternals = {
  location?: InternalSlots['location'];
  scopes: Array<{ description: string; object: object }>;
  heapId?: number;
};

/**
 * Without the heap snapshot: each function as read ahead of the stop when that read still holds
 * (settled-functions.ts), the others read now.
 */
function readOneByOne(
  introspector: Introspector,
  fns: ProgramFunction[],
  settled: SettledReads | undefined,
): FunctionInternals[] {
  const kept = fns.map((fn) => settled?.get(fn));
  const unread = fns.filter((_, i) => !kept[i]);
  const read = unread.length > 0 ? introspector.functionInternals(unread) : [];
  let next = 0;
  return kept.map((internals) => internals ?? read[next++]);
}

export function readFunctionInternals(
  introspector: Introspector,
  graph: HeapGraph | undefined,
  fns: ProgramFunction[],
  settled?: SettledReads,
): FunctionInternals[] {
  if (!graph) return readOneByOne(introspector, fns, settled);
  const heapIds = introspector.heapIds(fns);
  const groups = new Map<string, number[]>();
  fns.forEach((_, i) => {
    const heapId = heapIds[i];
    const chain = heapId === undefined ? undefined : graph.contextChain(heapId);
    // Made after the snapshot, or not in its locations: read on its own.
    const key = chain && graph.location(heapId) ? chain.join(',') : `alone ${i}`;
    const members = groups.get(key);
    if (members) members.push(i);
    else groups.set(key, [i]);
  });
  const chains = [...groups.values()];
  const read = introspector.functionInternals(chains.map((members) => fns[members[0]]));
  const out: FunctionInternals[] = new Array(fns.length);
  chains.forEach((members, k) => {
    for (const i of members)
      out[i] = {
        location: i === members[0] ? read[k].location : graph.location(heapIds[i]),
        scopes: read[k].scopes,
        heapId: heapIds[i],
      };
  });
  return out;
}
