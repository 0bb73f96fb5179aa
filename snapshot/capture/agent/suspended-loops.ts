// The for-of loops a suspended async function or generator is inside. On the stack, a loop's
// position is read by evaluating on the frame; a suspended function has no frame, but its saved
// registers hold each loop's iterator (heap snapshot). What each iterator says of the iterations
// left: a generator (or an events.on() iterator) is its own rest; a Map or Set iterator shows its
// remaining entries; an Array Iterator shows only its array, so the position comes from the loop
// variable's current value (which variable that is, the capture side knows: the agent gives the
// position of each value in the frame's scopes that occurs exactly once in the array).
import type { HeapGraph } from './heap-graph';
import type { LoopKind } from '../../format/sections';
import { iteratedCollection, iteratorSlots } from './collection-iterators';

export interface SuspendedLoop {
  kind: LoopKind;
  /** The array (array), the remaining iteration values (remaining), or the generator (iterator). */
  value: unknown;
  /** array: for each scope variable whose value occurs exactly once in the array, its index. */
  positions?: Record<string, number>;
  /** array: each scope variable whose value is an index of the array (what `[i, x]` of entries() tells). */
  indexes?: Record<string, number>;
  /**
   * array: for each scope variable, the elements holding its value as a property, as "index:key"
   * (what a destructured loop variable, `const [name, qty]` or `const { id }`, tells).
   */
  parts?: Record<string, string[]>;
}

export interface LoopReader {
  graph(why: string): HeapGraph;
  heapIds(objects: object[]): number[];
  objectByHeapId(heapId: number): unknown;
  internals(value: object): Record<string, unknown>;
  types: typeof import('node:util').types;
  /** An iterator events.on() made (carried whole, as a generator is). */
  isEventIterator(value: object): boolean;
}

/** The suspended function's loops, outermost first, or why they cannot be carried. */
export function suspendedLoops(
  suspended: object,
  source: string,
  scopes: object[],
  reader: LoopReader,
): SuspendedLoop[] | string {
  // Most suspended functions have no loop: the heap snapshot is not worth taking for them.
  if (!/\bfor\s*(?:await\s*)?\(/.test(source)) return [];
  const graph = reader.graph('loops in suspended functions');
  const [heapId] = reader.heapIds([suspended]);
  const loops: SuspendedLoop[] = [];
  for (const loopIteratorId of graph.loopIterators(heapId)) {
    const iteratorId = syncIteratorOf(graph, loopIteratorId);
    if (iteratorId === undefined) return 'a for await loop whose iterator was not found in the heap snapshot';
    const loop = loopOf(graph, iteratorId, scopes, reader);
    if (typeof loop === 'string') return loop;
    loops.push(loop);
  }
  return loops;
}

/** One loop, from its iterator; or why it cannot be carried. */
function loopOf(graph: HeapGraph, iteratorId: number, scopes: object[], reader: LoopReader): SuspendedLoop | string {
  // The snapshot tells an Array Iterator and what it iterates: V8 gives an object by heap id only
  // by scanning the whole heap, which the iterator itself is not worth.
  if (isArrayIterator(graph, iteratorId)) return arrayLoop(graph, iteratorId, scopes, reader);
  const iterator = reader.objectByHeapId(iteratorId) as object;
  const tag = Object.prototype.toString.call(iterator).slice(8, -1);
  if (reader.types.isGeneratorObject(iterator) || reader.isEventIterator(iterator))
    return { kind: 'iterator', value: iterator };
  if (reader.types.isMapIterator(iterator) || reader.types.isSetIterator(iterator)) {
    const ofSet = reader.types.isSetIterator(iterator);
    const collection = iteratedCollection(iterator, ofSet, reader, graph);
    if (!collection) return `a for-of loop over a ${tag} whose collection was not found in the heap snapshot`;
    return { kind: 'remaining', value: remainingEntries(iteratorSlots(iterator, collection, reader), !ofSet) };
  }
  // One the snapshot names otherwise (on another V8).
  if (tag === ARRAY_ITERATOR) return arrayLoop(graph, iteratorId, scopes, reader);
  return `a for-of loop over ${tag}, whose remaining iterations cannot be read`;
}

/** Whether the snapshot shows an Array Iterator: so named, its prototype the runtime's (so named too). */
function isArrayIterator(graph: HeapGraph, iteratorId: number): boolean {
  const proto = graph.edges(iteratorId).find((e) => e.name === '__proto__');
  return graph.node(iteratorId)?.name === ARRAY_ITERATOR && proto?.toName === ARRAY_ITERATOR;
}

const ARRAY_ITERATOR = 'Array Iterator';

/** A loop over an array (or a typed array, or arguments): the array is its iterator's one unnamed edge. */
function arrayLoop(graph: HeapGraph, iteratorId: number, scopes: object[], reader: LoopReader): SuspendedLoop | string {
  const arrayId = graph.edges(iteratorId).find((e) => typeof e.name === 'number')?.to;
  const array =
    arrayId === undefined
      ? undefined
      : ((arrayInScopes(scopes, arrayId, reader) ?? reader.objectByHeapId(arrayId)) as ArrayLike<unknown> | undefined);
  if (!array || typeof array.length !== 'number')
    return 'a for-of loop whose Array Iterator does not show what it iterates';
  return { kind: 'array', value: array, ...arrayPositions(array, scopes) };
}

/**
 * The loop's array when a variable of the function holds it (`for (const job of jobs)`): found
 * among those, without asking V8, which scans the whole heap for each object it gives by heap id.
 */
function arrayInScopes(scopes: object[], arrayId: number, reader: LoopReader): unknown[] | undefined {
  const arrays = scopes.flatMap((scope) => Object.values(scope).filter((value) => Array.isArray(value)));
  if (arrays.length === 0) return undefined;
  const ids = reader.heapIds(arrays);
  return arrays.find((_, i) => ids[i] === arrayId);
}

/**
 * `for await` over a sync iterable iterates an Async-from-Sync Iterator, which JavaScript cannot
 * hold: the loop is carried as the sync iterator it wraps (its one unnamed edge that is not its
 * `next`), and `for await` over that at restore wraps it again.
 */
function syncIteratorOf(graph: HeapGraph, iteratorId: number): number | undefined {
  if (graph.node(iteratorId)?.name !== 'Async-from-Sync Iterator') return iteratorId;
  return graph.edges(iteratorId).find((e) => typeof e.name === 'number' && graph.node(e.to)?.type !== 'closure')?.to;
}

/** What the loop still receives from a Map or Set iterator: [[Entries]] lists the ones left. */
function remainingEntries(slots: Record<string, unknown>, isMap: boolean): unknown[] {
  const entries = Array.from((slots['[[Entries]]'] as ArrayLike<{ key?: unknown; value: unknown }>) ?? []);
  const kind = slots['[[IteratorKind]]'];
  return entries.map((entry) => {
    const key = isMap && 'key' in entry ? entry.key : entry.value;
    return kind === 'keys' ? key : kind === 'values' ? entry.value : [key, entry.value];
  });
}

function arrayPositions(
  array: ArrayLike<unknown>,
  scopes: object[],
): Required<Pick<SuspendedLoop, 'positions' | 'indexes' | 'parts'>> {
  const positions: Record<string, number> = {};
  const indexes: Record<string, number> = {};
  const parts: Record<string, string[]> = {};
  const seen = new Set<string>(); // innermost first: an outer variable of the same name is shadowed
  for (const scope of scopes) {
    for (const [name, value] of Object.entries(scope)) {
      if (seen.has(name)) continue;
      seen.add(name);
      const holders = elementsHolding(array, value);
      if (holders.length > 0) parts[name] = holders;
      if (Number.isInteger(value) && (value as number) >= 0 && (value as number) < array.length)
        indexes[name] = value as number;
      let found = -1;
      for (let i = 0; i < array.length; i++) {
        if (!Object.is(array[i], value)) continue;
        if (found >= 0) {
          found = -2;
          break;
        }
        found = i;
      }
      if (found >= 0) positions[name] = found;
    }
  }
  return { positions, indexes, parts };
}

/** "index:key" for each element (an object or array) with an own property holding `value`. */
function elementsHolding(array: ArrayLike<unknown>, value: unknown): string[] {
  const out: string[] = [];
  for (let i = 0; i < array.length; i++) {
    const element = array[i];
    if (element === null || typeof element !== 'object') continue;
    for (const key of Object.keys(element))
      if (Object.is((element as Record<string, unknown>)[key], value)) out.push(`${i}:${key}`);
  }
  return out;
}
