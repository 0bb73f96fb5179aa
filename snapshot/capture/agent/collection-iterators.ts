// A Map or Set iterator held part way: the inspector shows its kind and the entries it has left,
// and the heap snapshot shows the table it reads. A table that its collection outgrew (or cleared)
// links to the next one; the last one is its collection's. Carried as its collection and the
// number of steps taken, which are taken again at restore.
import { IteratorFlag } from '../../heap/tags';
import type { HeapGraph, HeapGraphSource } from './heap-graph';
import type { Introspector } from './inspector';

export interface IteratorPosition {
  flags: number;
  /** The Map or Set it iterates; null once it is done. */
  collection: Map<unknown, unknown> | Set<unknown> | null;
  steps: number;
}

type Collection = Map<unknown, unknown> | Set<unknown>;
type Entry = { key?: unknown; value: unknown };

const KIND_FLAGS: Record<string, number> = { entries: 0, keys: IteratorFlag.Keys, values: IteratorFlag.Values };

/** Where a Map or Set iterator is, or why that cannot be known for sure. */
export function collectionIteratorPosition(
  iterator: object,
  ofSet: boolean,
  introspector: Introspector,
  graph: HeapGraphSource,
): IteratorPosition | string {
  const what = ofSet ? 'Set Iterator' : 'Map Iterator';
  const slots = introspector.internals(iterator);
  const kind = slots['[[IteratorKind]]'] as string;
  const flags = (KIND_FLAGS[kind] ?? 0) | (ofSet ? IteratorFlag.OfSet : 0);
  if (!slots['[[IteratorHasMore]]']) return { flags: flags | IteratorFlag.Done, collection: null, steps: 0 };
  const left = Array.from((slots['[[Entries]]'] as ArrayLike<Entry>) ?? []);
  const owner = iteratedCollection(iterator, ofSet, introspector, graph('Map and Set iterators'));
  if (owner === 'unreachable') return { flags, collection: collectionOf(left, ofSet, kind), steps: 0 };
  if (!owner) return `a ${what} whose ${ofSet ? 'Set' : 'Map'} was not found in the heap snapshot`;
  // What it yields is the tail of what its collection holds (entries are only ever added at the end).
  const all = [...(kind === 'keys' || (kind === 'entries' && !ofSet) ? owner.keys() : owner.values())];
  const yields = left.map((entry) => (kind === 'entries' && !ofSet ? entry.key : entry.value));
  const steps = all.length - yields.length;
  if (steps < 0 || yields.some((value, i) => !Object.is(value, all[steps + i])))
    return `a ${what} whose position does not match its collection`;
  return { flags, collection: owner, steps };
}

/**
 * The Map (or Set) whose table the iterator reads, after the links from tables it outgrew;
 * 'unreachable' when nothing else holds it (the iterator alone sees it).
 */
function iteratedCollection(
  iterator: object,
  ofSet: boolean,
  introspector: Introspector,
  g: HeapGraph,
): Collection | 'unreachable' | undefined {
  const [id] = introspector.heapIds([iterator]);
  let table = g.edges(id).find((e) => typeof e.name === 'number')?.to; // its one unnamed edge
  let outgrown = false;
  // An outgrown table holds the next one where a live one holds its element count (a small integer: no edge).
  for (
    let hops = 0, next;
    table !== undefined && (next = g.edges(table).find((e) => e.name === '0')?.to) !== undefined && hops < 64;
    hops++
  ) {
    table = next;
    outgrown = true;
  }
  if (table === undefined) return undefined;
  const owners = g
    .retainers(table)
    .filter((r) => r.name === 'table')
    .map((r) => introspector.objectByHeapId(r.from));
  const collections = owners.filter((o) => (ofSet ? o instanceof Set : o instanceof Map)) as Collection[];
  if (collections.length === 0 && !outgrown) return 'unreachable';
  return collections.length === 1 ? collections[0] : undefined;
}

/** A collection only its iterator can see, made again from what the iterator has left to yield. */
function collectionOf(left: Entry[], ofSet: boolean, kind: string): Collection {
  if (ofSet) return new Set(left.map((entry) => entry.value));
  if (kind === 'entries') return new Map(left.map((entry) => [entry.key, entry.value]));
  // keys() or values() show one half of each entry: the other is never seen.
  return new Map(left.map((entry) => (kind === 'keys' ? [entry.value, undefined] : [{}, entry.value])));
}
