// Pending promises, read from the heap snapshot (JS cannot see them): what each will run when it
// settles (its reactions: `then` handlers with the promise they settle, or an async function
// suspended at an `await` on it), and which native functions are the resolve/reject functions of
// a promise (handed to a timer, stored in a variable...), so that all of it can be rebuilt.
import type { HeapGraph, HeapGraphSource } from './heap-graph';

type HeapEdge = ReturnType<HeapGraph['edges']>[number];
import type { Introspector } from './inspector';
import { PromiseCombinators } from './promise-combinators';
import type { ProgramFunction } from '../../heap/program-value';

export type Reaction =
  | { kind: 'then'; onFulfilled: unknown; onRejected: unknown; derived: unknown }
  | { kind: 'await'; asyncFunction: object; asyncGenerator: boolean };

export class PendingPromises {
  /** A pending promise of ours with one reaction whose handler is known: its resolving functions and its layout are read from it. */
  private sample:
    | { resolve: ProgramFunction; reject: ProgramFunction; promise: Promise<unknown>; onFulfilled: () => void }
    | undefined;
  /** The index of a reaction's `next` field among its snapshot edges (0 in Node 20, 1 in Node 24: see reactionFields). */
  private nextFieldIndex: number | undefined;
  private sharedIds: { resolve?: number; reject?: number } | undefined;
  readonly combinators: PromiseCombinators;

  constructor(
    private readonly introspector: Introspector,
    private readonly graph: HeapGraphSource,
    isUserFunction: (fn: ProgramFunction) => boolean,
  ) {
    this.combinators = new PromiseCombinators(introspector, graph, {
      reactions: (promise) => this.reactions(promise),
      isUserFunction,
    });
  }

  /** Made before the snapshot, so that the resolve/reject builtins can be recognized in it. */
  prepare(): void {
    this.combinators.prepare();
    let resolve!: ProgramFunction;
    let reject!: ProgramFunction;
    const promise = new Promise((a, b) => {
      resolve = a;
      reject = b;
    });
    const onFulfilled = () => undefined;
    void promise.then(onFulfilled);
    this.sample = { resolve, reject, promise, onFulfilled };
  }

  /**
   * The reactions of a pending promise, in the order they were registered; a string when one
   * cannot be carried.
   */
  reactions(promise: object): Reaction[] | string {
    // Ids asked before the first snapshot name objects where they were before its GC moved them.
    this.graph('pending promises');
    const [id] = this.introspector.heapIds([promise]);
    const out: Reaction[] = [];
    for (const { reject, fulfill, derived } of this.reactionFields(id)) {
      const awaiting = this.awaitingFunction(fulfill?.to);
      if (awaiting)
        out.push({
          kind: 'await',
          asyncFunction: this.introspector.objectByHeapId(awaiting.heapId) as object,
          asyncGenerator: awaiting.kind === 'AsyncGenerator',
        });
      else {
        if (derived && derived.toName !== 'Promise')
          return `a promise reaction settles a ${derived.toName} (a promise subclass or thenable capability), which is not carried yet`;
        const value = (e: typeof reject) =>
          e && e.toName !== 'system / Oddball' ? this.introspector.objectByHeapId(e.to) : undefined;
        const reaction = {
          kind: 'then' as const,
          onFulfilled: value(fulfill),
          onRejected: value(reject),
          derived: value(derived),
        };
        if (
          [reaction.onFulfilled, reaction.onRejected].some(
            (fn) => isNative(fn) && !this.isCarriedNative(fn as ProgramFunction),
          )
        )
          return 'a pending promise is watched by a built-in function of the runtime (a for-await loop over a sync iterator, a thenable job), whose progress is not carried yet';
        out.push(reaction);
      }
    }
    return out.reverse(); // V8 keeps the newest first
  }

  /**
   * Native handlers the walker carries (or refuses itself, saying why): bound functions, the
   * resolving functions of a promise resolved with this one (`resolve(p)`, an async function
   * returning p), and the element functions of Promise.all, allSettled and any.
   */
  private isCarriedNative(fn: ProgramFunction): boolean {
    return (
      this.introspector.internals(fn)['[[TargetFunction]]'] !== undefined ||
      this.resolverOf(fn) !== undefined ||
      this.combinators.element(fn) !== undefined
    );
  }

  /** For a resolve or reject function of a promise: which promise, and which of the two. */
  resolverOf(fn: ProgramFunction): { promise: object; reject: boolean } | undefined {
    const g = this.graph('promise resolve functions');
    const shared = this.sharedIds ?? this.readSharedIds(g);
    const [id] = this.introspector.heapIds([fn]);
    const sharedEdge = g.edges(id).find((e) => e.name === 'shared');
    if (!sharedEdge || (sharedEdge.to !== shared.resolve && sharedEdge.to !== shared.reject)) return undefined;
    const context = g.edges(id).find((e) => e.name === 'context');
    const promiseEdge = context && g.edges(context.to).find((e) => e.toName === 'Promise');
    const promise = promiseEdge && this.introspector.objectByHeapId(promiseEdge.to);
    return promise ? { promise: promise as object, reject: sharedEdge.to === shared.reject } : undefined;
  }

  /**
   * The async function objects running right now (on the paused stack) whose function starts at
   * `location`: V8 keeps them only in the frame's registers, and the snapshot still lists them.
   */
  runningAsyncFunctions(location: { scriptId: string; lineNumber: number; columnNumber?: number }): object[] {
    const g = this.graph('async functions on the stack');
    const out: object[] = [];
    const startsThere = (at: { scriptId: string; lineNumber: number; columnNumber: number } | undefined) =>
      !!at &&
      at.scriptId === location.scriptId &&
      at.lineNumber === location.lineNumber &&
      at.columnNumber === (location.columnNumber ?? 0);
    for (const id of g.nodesNamed('Generator')) {
      const edges = g.edges(id);
      if (!edges.some((e) => e.name === 'parameters_and_registers')) continue; // a generator object, not an async function's
      // Each object fetched by heap id is a walk of the whole heap in V8: only those of this function
      // (a program of ES modules holds thousands of others).
      const fn = edges.find((e) => e.name === 'function');
      const fnAt = fn && g.location(fn.to);
      if (fnAt && !startsThere(fnAt)) continue;
      const object = this.introspector.objectByHeapId(id) as object | undefined;
      if (!object) continue;
      const slots = this.introspector.internals(object);
      const at =
        typeof slots['[[GeneratorFunction]]'] === 'function'
          ? this.introspector.internals(slots['[[GeneratorFunction]]'] as ProgramFunction).location
          : undefined;
      if (slots['[[GeneratorState]]'] === 'running' && startsThere(at) && !this.hasSettled(object)) out.push(object);
    }
    return out;
  }

  /**
   * Whether an async function object has returned or thrown: its promise is settled. V8 may still
   * call it running when something kept it (an earlier call that awaited an import(), seen here
   * beside the call on the stack).
   */
  private hasSettled(asyncFunction: object): boolean {
    const promise = this.promiseOf(asyncFunction);
    return promise instanceof Promise && this.introspector.internals(promise)['[[PromiseState]]'] !== 'pending';
  }

  /** The promise an async function object will settle (its own edge to a Promise). */
  promiseOf(asyncFunction: object): unknown {
    const [id] = this.introspector.heapIds([asyncFunction]);
    const edge = this.graph('suspended async functions')
      .edges(id)
      .find((e) => e.toName === 'Promise' && e.name !== 'parameters_and_registers');
    return edge && this.introspector.objectByHeapId(edge.to);
  }

  /**
   * An async generator suspended at an `await` in its body: the promise it awaits and the promise
   * of the next() request it is serving (its consumer holds that one); a string when it cannot be
   * carried; undefined when it awaits nothing (it is at a `yield`).
   */
  awaitOfGenerator(generator: object): { awaited: object; request: object } | string | undefined {
    const g = this.graph('async generators');
    this.awaitedByGenerator ??= this.readAwaitedByGenerator(g);
    const [id] = this.introspector.heapIds([generator]);
    const awaited = this.awaitedByGenerator.get(id);
    if (awaited === undefined) return undefined;
    // Its queue of requests (a hidden field): each holds the next request, the value sent and its promise.
    const head = g.edges(id).find((e) => e.toName === 'system / AsyncGeneratorRequest');
    const request = head && g.edges(head.to);
    if (!request) return 'an async generator awaiting inside its body without a next() request to serve';
    // A request's mode (next, throw, return) is a small integer the snapshot does not show: only the one
    // being served (whose mode has done its work) can be carried.
    if (request.some((e) => e.toName === 'system / AsyncGeneratorRequest'))
      return 'an async generator awaiting inside its body with more next()/throw()/return() requests queued behind the one it serves, whose kinds cannot be read';
    const promise = [...request].reverse().find((e) => e.toName === 'Promise');
    if (!promise) return 'an async generator awaiting inside its body: the promise of its next() request was not found';
    return {
      awaited: this.introspector.objectByHeapId(awaited) as object,
      request: this.introspector.objectByHeapId(promise.to) as object,
    };
  }

  private awaitedByGenerator: Map<number, number> | undefined;

  /** For every async generator awaiting a promise: generator heap id -> promise heap id. */
  private readAwaitedByGenerator(g: HeapGraph): Map<number, number> {
    const out = new Map<number, number>();
    for (const promise of g.nodesNamed('Promise')) {
      for (const { fulfill } of this.reactionFields(promise)) {
        const awaiting = this.awaitingFunction(fulfill?.to);
        if (awaiting?.kind === 'AsyncGenerator') out.set(awaiting.heapId, promise);
      }
    }
    return out;
  }

  /** A pending promise's reactions, newest first (as V8 keeps them): the edges to each one's handlers and promise. */
  private *reactionFields(
    promiseHeapId: number,
  ): Generator<Record<'reject' | 'fulfill' | 'derived', HeapEdge | undefined>> {
    const g = this.graph('pending promises');
    let at = g
      .edges(promiseHeapId)
      .find((e) => e.name === 'reactions_or_result' && e.toName === 'system / PromiseReaction')?.to;
    const nextIndex = (this.nextFieldIndex ??= this.readNextFieldIndex(g));
    while (at !== undefined) {
      const edges = g.edges(at);
      // A reaction's fields are next, reject handler, fulfill handler, promise/capability; V8 lists the
      // heap objects among them by position, and `next` is a small integer (no edge) at the end of the
      // list. Node 24's V8 has one more field before them (its index in the snapshot is one more).
      const next = edges.find((e) => e.name === nextIndex && e.toName === 'system / PromiseReaction');
      const field = (k: number) => edges.find((e) => e.name === nextIndex + (next ? 1 : 0) + k);
      yield { reject: field(0), fulfill: field(1), derived: field(2) };
      at = next?.to;
    }
  }

  /** The async function (or async generator) object behind an `await` continuation: its context's extension. */
  awaitingFunction(
    handlerId: number | undefined,
  ): { kind: 'Generator' | 'AsyncGenerator'; heapId: number } | undefined {
    if (handlerId === undefined) return undefined;
    const g = this.graph('pending promises');
    const handler = g.edges(handlerId);
    const context = handler.find((e) => e.name === 'context');
    const extension = context && g.edges(context.to).find((e) => e.name === 'extension');
    if (!extension) return undefined;
    // An async function's await continuation names its generator "Generator"; an async generator's
    // is named after its function, and its handler is one of the AsyncGeneratorAwait builtins.
    const kind =
      extension.toName === 'Generator'
        ? 'Generator'
        : handler.some((e) => e.name === 'code' && e.toName.includes('AsyncGeneratorAwait'))
          ? 'AsyncGenerator'
          : undefined;
    return kind && { kind, heapId: extension.to };
  }

  /**
   * Where `next` is among a reaction's edges, read from the sample's one reaction: its fulfill
   * handler (our own function) comes right after it (a reaction with no next lists the fields from there).
   */
  private readNextFieldIndex(g: HeapGraph): number {
    const [promiseId, handlerId] = this.introspector.heapIds([this.sample!.promise, this.sample!.onFulfilled]);
    const reaction = g
      .edges(promiseId)
      .find((e) => e.name === 'reactions_or_result' && e.toName === 'system / PromiseReaction');
    const fulfill = reaction && g.edges(reaction.to).find((e) => e.to === handlerId);
    return typeof fulfill?.name === 'number' ? fulfill.name - 1 : 0;
  }

  private readSharedIds(g: HeapGraph): { resolve?: number; reject?: number } {
    const [resolveId, rejectId] = this.introspector.heapIds([this.sample!.resolve, this.sample!.reject]);
    const shared = (id: number) => g.edges(id).find((e) => e.name === 'shared')?.to;
    this.sharedIds = { resolve: shared(resolveId), reject: shared(rejectId) };
    return this.sharedIds;
  }
}

function isNative(value: unknown): boolean {
  return typeof value === 'function' && /\[native code\] \}$/.test(Function.prototype.toString.call(value));
}
