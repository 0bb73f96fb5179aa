// Promise.all, allSettled and any keep their progress where JS cannot see it: a context holding the
// values (or errors) so far and the result promise's resolving functions, shared by one element
// function per input, which knows its own index only as its identity hash (index + 1). Read from
// the heap snapshot, a combinator's progress becomes a plain group { values, resolve, reject },
// still-pending indices left as holes; the restore runtime's element functions fill it in.
import { Combinator } from '../../heap/tags';
import type { HeapGraph, HeapGraphSource } from './heap-graph';
import type { Introspector } from './inspector';
import type { ProgramFunction } from '../../heap/program-value';
import type { Reaction } from './promises';
import { ignoresArguments } from './queues';

/** What tells whether a combinator's result is read by anyone. */
export interface ResultReaders {
  /** A pending promise's reactions (promises.ts), or why they cannot be read. */
  reactions(promise: object): Reaction[] | string;
  isUserFunction(fn: ProgramFunction): boolean;
}

/** What the settled values of a Promise.all read as `undefined` stand for (carried only where nothing reads them). */
export const UNSEEN_VALUES = 'the values of a Promise.all, some of them undefined, null, booleans or small integers';

/** How many promises deep a result's value is followed through reactions that pass it on (`.catch()`). */
const MAX_PASSED_ON = 4;

const ELEMENT_CODE =
  /^\((PromiseAllResolveElementClosure|PromiseAllSettledResolveElementClosure|PromiseAllSettledRejectElementClosure|PromiseAnyRejectElementClosure) builtin/;
const COMBINATORS: Record<string, Combinator> = {
  PromiseAllResolveElementClosure: Combinator.All,
  PromiseAllSettledResolveElementClosure: Combinator.AllSettledFulfilled,
  PromiseAllSettledRejectElementClosure: Combinator.AllSettledRejected,
  PromiseAnyRejectElementClosure: Combinator.AnyRejected,
};
const NAMES = ['Promise.all', 'Promise.allSettled', 'Promise.allSettled', 'Promise.any'];

export interface CombinatorElement {
  combinator: Combinator;
  index: number;
  group: { values: unknown[]; resolve: unknown; reject: unknown };
}

type Group = { object: CombinatorElement['group']; indices: Map<number, number> };

export class PromiseCombinators {
  /** Element functions of a Promise.all made by the agent, of indices 0, 1, 2: the reading is checked on them. */
  private sample: ProgramFunction[] = [];
  private elements: Map<number, { combinator: Combinator; context: number | undefined }> | undefined;
  private readonly groups = new Map<number, Group | string>();
  private calibration: { wordSize: number } | string | undefined;
  /** Promises of Promise.all whose values were carried as undefined: an await of one must not read its value. */
  private readonly unseenResults = new WeakSet<object>();

  constructor(
    private readonly introspector: Introspector,
    private readonly heapGraph: HeapGraphSource,
    private readonly readers: ResultReaders,
  ) {}

  /** Why the value an await of `promise` goes on with cannot be read (checked by the controller), if so. */
  unseenValueOf(promise: unknown): string | undefined {
    return typeof promise === 'object' && promise !== null && this.unseenResults.has(promise)
      ? UNSEEN_VALUES
      : undefined;
  }

  /** Made before the snapshot, so that its list is in it. */
  prepare(): void {
    this.sample = elementFunctions(3);
  }

  /** For an element function of Promise.all, allSettled or any: its group and index; a string when they cannot be read. */
  element(fn: ProgramFunction): CombinatorElement | string | undefined {
    this.elements ??= this.readElements(); // takes the heap snapshot first: ids asked before it go stale
    const [id] = this.introspector.heapIds([fn]);
    const element = this.elements.get(id);
    if (!element) return undefined;
    const name = NAMES[element.combinator];
    if (element.context === undefined) return `an element function of ${name} that has already run`;
    this.calibration ??= this.calibrate();
    if (typeof this.calibration === 'string') return this.calibration;
    let group = this.groups.get(element.context);
    if (group === undefined) {
      group = this.readGroup(element.context, name, this.calibration.wordSize);
      this.groups.set(element.context, group);
    }
    return typeof group === 'string'
      ? group
      : { combinator: element.combinator, index: group.indices.get(id)!, group: group.object };
  }

  /** Every live element function in the snapshot, with its combinator and its context (none once it has run). */
  private readElements(): Map<number, { combinator: Combinator; context: number | undefined }> {
    const g = this.heapGraph('Promise.all, allSettled, any');
    const out = new Map<number, { combinator: Combinator; context: number | undefined }>();
    for (const { heapId, code, context } of g.closuresRunning(ELEMENT_CODE)) {
      // A function that has run points at the native context instead, which holds no capability.
      const live = context !== undefined && g.edges(context).some((e) => e.toName === 'system / PromiseCapability');
      out.set(heapId, { combinator: COMBINATORS[ELEMENT_CODE.exec(code)![1]], context: live ? context : undefined });
    }
    return out;
  }

  /**
   * The values list, the capability and the members of one combinator. Settled values that are
   * objects or short strings are in the snapshot; small integers, undefined, null and booleans are
   * not, and look like the holes of pending places: the progress is carried only when the pending
   * element functions account for every hole.
   */
  private readGroup(context: number, name: string, wordSize: number): Group | string {
    const g = this.heapGraph('Promise.all, allSettled, any');
    const slots = g.edges(context);
    const capability = slots.find((e) => e.toName === 'system / PromiseCapability');
    // Promise.any's errors list is V8's empty list (not in the snapshot) until a first rejection.
    const list = slots.find((e) => typeof e.name === 'number' && e !== capability);
    if (!capability || (!list && name !== 'Promise.any'))
      return `a ${name} whose progress was not found in the heap snapshot`;
    const resolver = (k: number) => {
      const edge = g.edges(capability.to).find((e) => e.name === k);
      return edge && this.introspector.objectByHeapId(edge.to);
    };
    // Once its promise is settled (an input of Promise.all rejected, one of any fulfilled), what the
    // others bring changes nothing: their places need not be known.
    const promise = resolver(0);
    if (promise instanceof Promise && this.introspector.internals(promise)['[[PromiseState]]'] !== 'pending') {
      return {
        object: { values: [], resolve: resolver(1), reject: resolver(2) },
        indices: new Map([...this.elements!].filter(([, e]) => e.context === context).map(([id]) => [id, 0])),
      };
    }
    const length = list ? g.selfSize(list.to) / wordSize - 2 : 0; // an internal array: map and length words, then its slots
    const values: unknown[] = new Array(length);
    for (const edge of list ? g.edges(list.to) : []) {
      const index = Number(edge.name);
      // Node 24's snapshot lists the places still pending as edges to V8's hole; older ones leave them out.
      if (!Number.isInteger(index) || index < 0 || index >= length || edge.toName === 'system / Hole') continue;
      // Objects are read by their heap id; strings from the snapshot's text of them; heap numbers not at all.
      const value = g.stringValue(edge.to) ?? this.objectOrUndefined(edge.to);
      if (value === undefined)
        return `a ${name} with a settled value the heap snapshot does not show whole (${edge.toName === 'heap number' ? 'a number that is not a small integer' : 'a long or concatenated string'})`;
      values[index] = value;
    }
    const holes = [...values.keys()].filter((i) => !(i in values));
    const byCombinator = new Map<Combinator, number[]>();
    for (const [heapId, element] of this.elements!) {
      if (element.context === context)
        byCombinator.set(element.combinator, [...(byCombinator.get(element.combinator) ?? []), heapId]);
    }
    const invisible = `a ${name} with settled values the heap snapshot does not show (undefined, null, booleans and small integers look like its pending places)`;
    const members = [...byCombinator.values()].flat().length;
    if (members < holes.length) {
      // Which holes are settled does not matter when nobody reads the values: they become undefined.
      const unread =
        byCombinator.size === 1 && byCombinator.has(Combinator.All) && promise instanceof Promise
          ? this.whyResultRead(promise, context, 0)
          : invisible;
      if (unread !== undefined) return unread === invisible ? invisible : `${invisible}, and ${unread}`;
      for (const settled of holes.splice(0, holes.length - members)) values[settled] = undefined;
      this.unseenResults.add(promise as Promise<unknown>);
    }
    const indices = new Map<number, number>();
    for (const [combinator, members] of byCombinator) {
      const fns = members.map((id) => this.introspector.objectByHeapId(id) as ProgramFunction);
      const rank = this.byIdentityHash(fns, Math.max(length, members.length));
      const sorted: number[] = [];
      members.forEach((id, k) => (sorted[rank[k]] = id));
      // all and allSettled size their list to their inputs once all are in: pending places are its holes.
      // any's list grows to a length of V8's choosing as rejections come: places past its end are pending
      // too, and which members fall inside it is asked of their hashes.
      const inside =
        combinator === Combinator.AnyRejected
          ? this.countBelow(
              sorted.map((id) => fns[members.indexOf(id)]),
              length,
            )
          : sorted.length;
      if (inside !== holes.length) return invisible;
      sorted.forEach((id, k) => indices.set(id, k < inside ? holes[k] : length + k - inside));
      values.length = Math.max(values.length, length + sorted.length - inside);
    }
    return { object: { values, resolve: resolver(1), reject: resolver(2) }, indices };
  }

  /**
   * Why the value `promise` settles with could be read, or undefined when nothing can read it: only
   * V8's capability and reactions hold the promise, and each reaction ignores the value (a handler
   * declaring no parameter; an `await`, which the controller checks is a statement of its own), or
   * passes it on to a promise of which the same holds (`.catch(f)`; a `.finally(f)` passes it through a handler of V8's, and is refused).
   */
  private whyResultRead(promise: object, group: number, depth: number): string | undefined {
    const g = this.heapGraph('Promise.all, allSettled, any');
    const [id] = this.introspector.heapIds([promise]);
    const holder = g.retainers(id).find((r) => !heldByV8(g, r, group));
    if (holder !== undefined)
      return `the program holds its promise (in a ${g.node(holder.from)?.name}), whose value it may read`;
    const reactions = this.readers.reactions(promise);
    if (typeof reactions === 'string') return reactions;
    for (const reaction of reactions) {
      if (reaction.kind === 'await') continue;
      const { onFulfilled, derived } = reaction;
      if (typeof onFulfilled === 'function') {
        if (!ignoresArguments(onFulfilled as ProgramFunction, this.readers)) return 'a then() handler reads its value';
      } else if (typeof derived !== 'object' || derived === null || depth === MAX_PASSED_ON) {
        return 'a then() passes its value on where it may be read';
      } else {
        const passedOn = this.whyResultRead(derived, group, depth + 1);
        if (passedOn !== undefined) return passedOn;
      }
    }
    return undefined;
  }

  /** The object of a heap id; undefined for anything else (the inspector hands out objects only). */
  private objectOrUndefined(heapId: number): unknown {
    try {
      return this.introspector.objectByHeapId(heapId);
    } catch {
      return undefined;
    }
  }

  /** How many of these element functions, in index order, have an index below `bound` (a binary search on their hashes). */
  private countBelow(sorted: ProgramFunction[], bound: number): number {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.indexBelow(sorted[middle], bound)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /**
   * Whether an element function's index is below `bound`: a probe of hash bound + 1 (the last element
   * function of a Promise.all of bound + 1 inputs) goes in first; the function is listed before it
   * only when its hash is lower (an equal hash is pushed to the next bucket, after the probe).
   */
  private indexBelow(fn: ProgramFunction, bound: number): boolean {
    if (bound === 0) return false;
    const probe = elementFunctions(bound + 1)[bound];
    const table = emptiedWeakMap(bound + 2);
    table.set(probe, 0);
    table.set(fn, 1);
    return this.entryValues(table)[0] === 1;
  }

  /**
   * The rank of each key by its identity hash. A WeakMap lists its entries in bucket order, and a
   * key's bucket is its hash masked by the capacity: in a table grown past every hash and emptied,
   * the keys land each in its own bucket. `calibrate` checks this on known indices.
   */
  private byIdentityHash(keys: object[], maxHash: number): number[] {
    if (keys.length < 2) return keys.map(() => 0);
    const table = emptiedWeakMap(maxHash + 2);
    keys.forEach((key, i) => table.set(key, i));
    const rank: number[] = [];
    this.entryValues(table).forEach((value, position) => (rank[value] = position));
    return rank;
  }

  /** A WeakMap's values in the order the inspector lists its entries (its buckets'). */
  private entryValues(table: WeakMap<object, number>): number[] {
    return Array.from(
      this.introspector.internals(table)['[[Entries]]'] as ArrayLike<{ value: number }>,
      (entry) => entry.value,
    );
  }

  /** The word size of the snapshot's internal arrays and the hash order, checked on the sample (indices 0, 1, 2). */
  private calibrate(): { wordSize: number } | string {
    const failed =
      'a Promise.all, allSettled or any: this Node version keeps their progress in a way Ferry does not read';
    if (this.sample.length !== 3) return failed;
    const g = this.heapGraph('Promise.all, allSettled, any');
    const [id] = this.introspector.heapIds([this.sample[0]]);
    const context = this.elements!.get(id)?.context;
    const slots = context === undefined ? [] : g.edges(context);
    const list = slots.find((e) => typeof e.name === 'number' && e.toName !== 'system / PromiseCapability');
    if (!list) return failed;
    const wordSize = g.selfSize(list.to) / 5; // two header words and three slots
    const shuffled = [2, 0, 1];
    const rank = this.byIdentityHash(
      shuffled.map((i) => this.sample[i]),
      3,
    );
    const ok =
      (wordSize === 4 || wordSize === 8) &&
      rank.every((r, k) => r === shuffled[k]) &&
      this.indexBelow(this.sample[1], 2) &&
      !this.indexBelow(this.sample[2], 2);
    return ok ? { wordSize } : failed;
  }
}

/**
 * Whether a retainer of a combinator's promise is V8's own: the combinator's context and capability,
 * a reaction settling it, or an input promise marking which promise handles it (a symbol of V8's,
 * kept on the input or in its property array) for the debugger's async stacks.
 */
function heldByV8(g: HeapGraph, retainer: { from: number; name: string | number }, group: number): boolean {
  const holder = g.node(retainer.from)?.name;
  if (retainer.from === group || holder === 'system / PromiseCapability' || holder === 'system / PromiseReaction')
    return true;
  const heldBy = g.retainers(retainer.from);
  if (holder === 'Promise') return retainer.name === '<symbol>';
  if (holder === 'system / PropertyArray')
    return heldBy.every((r) => r.name === 'properties' && g.node(r.from)?.name === 'Promise');
  // The context of the capability's resolve and reject functions, which V8 holds the promise in.
  const capability = g.edges(group).find((e) => e.toName === 'system / PromiseCapability')?.to;
  const resolvers = capability === undefined ? [] : g.edges(capability).map((e) => e.to);
  return holder === 'system / Context' && heldBy.every((r) => r.name === 'context' && resolvers.includes(r.from));
}

/**
 * The element functions of a Promise.all of `count` inputs that never settle, in index order: an
 * own `then` on each input takes Promise.all off its fast path, so it calls that with them.
 */
function elementFunctions(count: number): ProgramFunction[] {
  const out: ProgramFunction[] = [];
  const inputs = Array.from({ length: count }, () => {
    const input = new Promise(() => undefined);
    Object.defineProperty(input, 'then', {
      value: (onFulfilled: ProgramFunction, onRejected: ProgramFunction) => {
        out.push(onFulfilled);
        return Promise.prototype.then.call(input, onFulfilled as never, onRejected as never);
      },
    });
    return input;
  });
  void Promise.all(inputs);
  return out;
}

/**
 * An empty WeakMap whose table has room for hashes up to `maxHash` in distinct buckets: grown by
 * that many keys, then emptied (V8 keeps the capacity of a table emptied to so few entries).
 */
function emptiedWeakMap(maxHash: number): WeakMap<object, number> {
  const table = new WeakMap<object, number>();
  const room = Array.from({ length: 2 * maxHash }, () => ({}));
  for (const key of room) table.set(key, 0);
  for (const key of room) table.delete(key);
  return table;
}
