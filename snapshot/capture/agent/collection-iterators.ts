// A Map or Set iterator held part way: the inspector shows its kind and the entries it has left,
// and the heap snapshot shows the table it reads. A table that its collection outgrew (or cleared)
// links to the next one; the last one is its collection's. Carried as its collection and the
// number of steps taken, which are taken again at restore.
import { IteratorFlag } from '../../heap/tags';
import type { HeapGraph, HeapGraphSource } from './heap-graph';

/** What reading an iterator takes of the introspector (inspector.ts). */
export interface IteratorReader {
  heapIds(objects: object[]): number[];
  objectByHeapId(heapId: number): unknown;
  internals(value: object): Record<string, unknown>;
}

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
  introspector: IteratorReader,
  graph: HeapGraphSource,
): IteratorPosition | string {
  const what = ofSet ? 'Set Iterator' : 'Map Iterator';
  const owner = iteratedCollection(iterator, ofSet, introspector, graph('Map and Set iterators'));
  if (!owner) return `a ${what} whose ${ofSet ? 'Set' : 'Map'} was not found in the heap snapshot`;
  const slots = iteratorSlots(iterator, owner, introspector);
  const kind = slots['[[IteratorKind]]'] as string;
  const flags = (KIND_FLAGS[kind] ?? 0) | (ofSet ? IteratorFlag.OfSet : 0);
  if (!slots['[[IteratorHasMore]]']) return { flags: flags | IteratorFlag.Done, collection: null, steps: 0 };
  const left = Array.from((slots['[[Entries]]'] as ArrayLike<Entry>) ?? []);
  if (owner === 'unreachable') return { flags, collection: collectionOf(left, ofSet, kind), steps: 0 };
  // What it yields is the tail of what its collection holds (entries are only ever added at the end).
  const all = [...(kind === 'keys' || (kind === 'entries' && !ofSet) ? owner.keys() : owner.values())];
  const yields = left.map((entry) => (kind === 'entries' && !ofSet ? entry.key : entry.value));
  const steps = all.length - yields.length;
  if (steps < 0 || yields.some((value, i) => !Object.is(value, all[steps + i])))
    return `a ${what} whose position does not match its collection`;
  return { flags, collection: owner, steps };
}

/**
 * The inspector's view of a Map or Set iterator (its kind, whether it has more, the entries it has
 * left), read without ending it. V8 answers "has more" of one that has yielded its collection's
 * last entry by ending it for good, though it would still yield entries added later: while it is
 * read, its collection has one more entry (a key of ours, removed again, left out of the answer).
 * One whose collection nothing else holds can get no more entries: it may end.
 */
export function iteratorSlots(
  iterator: object,
  collection: Collection | 'unreachable',
  introspector: IteratorReader,
): Record<string, unknown> {
  if (collection === 'unreachable') return introspector.internals(iterator);
  const marker = {};
  if (collection instanceof Set) setAdd.call(collection, marker);
  else mapSet.call(collection, marker, marker); // keys(), values() and entries() all show it
  try {
    const slots = introspector.internals(iterator);
    const left = Array.from((slots['[[Entries]]'] as ArrayLike<Entry>) ?? []);
    const last = left[left.length - 1];
    if (last && (last.key === marker || last.value === marker)) left.pop();
    return { ...slots, '[[Entries]]': left };
  } finally {
    if (collection instanceof Set) setDelete.call(collection, marker);
    else mapDelete.call(collection, marker);
  }
}

// The program may have replaced these methods (or subclassed its collection): the built-ins are used.
const mapSet = Map.prototype.set;
const mapDelete = Map.prototype.delete;
const setAdd = Set.prototype.add;
const setDelete = Set.prototype.delete;

/**
 * The Map (or Set) whose table the iterator reads, after the links from tables it outgrew;
 * 'unreachable' when nothing else holds it (the iterator alone sees it, or it is done).
 */
export function iteratedCollection(
  iterator: object,
  ofSet: boolean,
  introspector: IteratorReader,
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
