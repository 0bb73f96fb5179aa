// The async iterators of `events.on(emitter, name)` (lib/events.js): an object of Node's methods
// and the listeners it put on the emitter, all closures over one scope of `on` holding its queues
// (the events not read yet, the next() calls still waiting), its watermarks, its error and whether
// it is finished. None of it is the program's code: the iterator and each listener are made again
// by `on` itself at restore (ferry:eventIterator, ferry:eventIteratorListener), from one record of
// that scope (K.EventIterator), keyed here by its queue of unread events.
import { replicaPath } from '../../heap/builtins';
import type { FactoryCall } from './node-factories';
import type { ProgramFunction, ProgramValue } from '../../heap/program-value';

/** What the restore needs to make an events.on() iterator again, as it was. */
export interface EventIteratorState {
  emitter: object;
  /** The event it listens to; undefined once it is finished (its listeners are gone). */
  event: string | symbol | undefined;
  /** Events that finish it (`options.close`). */
  closeEvents: Array<string | symbol>;
  lowWatermark: number;
  highWatermark: number;
  /** The events not read yet, oldest first: each the array of its arguments. */
  buffered: unknown[][];
  /** The promises of the next() calls waiting for an event, oldest first. */
  pending: object[];
  error: unknown;
  finished: boolean;
  /** Made by a readline Interface's [Symbol.asyncIterator]: each event is its first argument. */
  readline: boolean;
}

/** Its listeners on the emitter, by the role each plays. */
export type EventIteratorRole = 'event' | 'error' | 'close';

type Scope = Record<string, ProgramValue>;

export interface EventIteratorReader {
  /** The closure scopes of a function of Node's own, innermost first; undefined for the program's. */
  internalScopes(fn: ProgramFunction): Scope[] | undefined;
  /** For a resolve function of a pending promise: that promise. */
  promiseOfResolver(fn: ProgramFunction): object | undefined;
  /** Whether an emitter is a readline Interface. */
  isReadline(emitter: object): boolean;
}

/** The own keys of an iterator `on` made (the program may have added none). */
const ITERATOR_KEYS = ['next', 'return', 'throw'];
const ASYNC_ITERATOR_PROTOTYPE = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype);
/** The listener `on` adds for its event: `function(...args) { return eventHandler(args); }`. */
const EVENT_WRAPPER = /^function\s*\(\.\.\.args\)\s*\{\s*return eventHandler\(args\);?\s*\}$/;
// eventHandler is the listener itself in readline's first-argument mode, the anonymous EVENT_WRAPPER otherwise.
const LISTENER_NAMES = new Set(['errorHandler', 'closeHandler', 'eventHandler', '']);

export class EventIterators {
  /** Per scope of `on` (keyed by its queue of unread events): its state, or why it cannot be carried. */
  private readonly states = new Map<object, EventIteratorState | string>();

  constructor(private readonly reader: EventIteratorReader) {}

  /** For an iterator events.on() made, or a listener it put on its emitter: the call making it again. */
  factoryCall(value: object): FactoryCall | string | undefined {
    if (typeof value === 'function') return this.listenerCall(value);
    if (Object.getPrototypeOf(value) !== ASYNC_ITERATOR_PROTOTYPE) return undefined;
    const next = Object.getOwnPropertyDescriptor(value, 'next')?.value;
    const scope = typeof next === 'function' ? this.scopeOf(next) : undefined;
    if (!scope) return undefined;
    const extra = Reflect.ownKeys(value).find((key) =>
      typeof key === 'string'
        ? !ITERATOR_KEYS.includes(key)
        : key !== Symbol.asyncIterator && key.description !== 'nodejs.watermarkData',
    );
    if (extra !== undefined)
      return `an events.on() iterator with a property of the program's (${String(extra)}): not carried yet`;
    return { path: replicaPath('eventIterator'), args: [this.keyOf(scope)] };
  }

  /** The state behind a key handed out by factoryCall (undefined for any other object). */
  state(key: object): EventIteratorState | string | undefined {
    return this.states.get(key);
  }

  private listenerCall(fn: ProgramFunction): FactoryCall | undefined {
    const name = Object.getOwnPropertyDescriptor(fn, 'name')?.value;
    if (!LISTENER_NAMES.has(name)) return undefined;
    // Anonymous functions are many: only one taking rest arguments (length 0) and reading as `on`'s is looked into.
    if (name === '' && (fn.length !== 0 || !EVENT_WRAPPER.test(Function.prototype.toString.call(fn)))) return undefined;
    const scope = this.scopeOf(fn);
    if (!scope) return undefined;
    const role: EventIteratorRole = name === 'errorHandler' ? 'error' : name === 'closeHandler' ? 'close' : 'event';
    return { path: replicaPath('eventIteratorListener'), args: [this.keyOf(scope), role] };
  }

  /** The scope of `on` a function of Node's closes over, if it is one of its closures. */
  private scopeOf(fn: ProgramFunction): Scope | undefined {
    return this.reader
      .internalScopes(fn)
      ?.find((scope) => 'unconsumedEvents' in scope && 'unconsumedPromises' in scope && 'closeHandler' in scope);
  }

  private keyOf(scope: Scope): object {
    const key = scope.unconsumedEvents as object;
    if (!this.states.has(key)) this.states.set(key, this.read(scope));
    return key;
  }

  private read(scope: Scope): EventIteratorState | string {
    const what = 'an events.on() iterator';
    if (scope.signal) return `${what} with an abort signal: not carried yet`;
    if (scope.paused)
      return `${what} that paused its emitter (more unread events than its high watermark): not carried yet`;
    const registered = this.registered(scope);
    if (typeof registered === 'string') return `${what} ${registered}`;
    const buffered = queued(scope.unconsumedEvents) as unknown[][] | undefined;
    if (!buffered || buffered.length !== scope.size)
      return `${what} whose queue of events this Node version keeps otherwise`;
    const readline = registered.readline ?? this.finishedInFirstArgumentMode(registered.emitter, buffered);
    if (typeof readline === 'string') return `${what} ${readline}`;
    const waiting = queued(scope.unconsumedPromises) as Array<{ resolve: ProgramFunction }> | undefined;
    const pending = waiting?.map((request) => this.reader.promiseOfResolver(request.resolve));
    if (!pending || pending.some((promise) => promise === undefined))
      return `${what} whose waiting next() calls cannot be read`;
    return {
      ...registered,
      readline,
      lowWatermark: scope.lowWatermark,
      highWatermark: scope.highWatermark,
      buffered,
      pending: pending as object[],
      error: scope.error,
      finished: scope.finished,
    };
  }

  /**
   * What `on` listens to, from the list its `removeAll` closes over ([emitter, event, handler,
   * flags], in the order it added them): the event first, then 'error', then the close events.
   */
  private registered(
    scope: Scope,
  ): (Pick<EventIteratorState, 'emitter' | 'event' | 'closeEvents'> & { readline: boolean | undefined }) | string {
    const listeners = this.reader.internalScopes(scope.removeAll)?.find((s) => Array.isArray(s.listeners))?.listeners;
    if (!Array.isArray(listeners)) return 'whose listeners cannot be read';
    const emitter = scope.eventHandler && this.emitterOf(scope);
    if (!emitter) return 'whose emitter cannot be read';
    if (listeners.some(([on]: unknown[]) => on !== emitter)) return 'listening on another emitter';
    // Finished: its listeners are gone, and with them what told its mode (its unread events tell).
    if (listeners.length === 0) return { emitter, event: undefined, closeEvents: [], readline: undefined };
    const [[, event, handler]] = listeners;
    const closeEvents = listeners
      .filter(([, , fn]: unknown[]) => fn === scope.closeHandler)
      .map(([, name]: Array<string | symbol>) => name);
    if (typeof emitter._events !== 'object') return 'on an EventTarget: not carried yet';
    // Its listener is eventHandler itself only in the first-argument mode, which only readline's lines use.
    const readline = handler === scope.eventHandler;
    const asReadlineMakesIt =
      this.reader.isReadline(emitter) &&
      event === 'line' &&
      closeEvents.join() === 'close' &&
      scope.highWatermark === 1024;
    if (readline && !asReadlineMakesIt) return 'in its first-argument mode, not made by readline: not carried yet';
    return { emitter, event, closeEvents, readline };
  }

  /**
   * A finished iterator's mode, from its unread events: each is the array of an event's arguments,
   * unless readline made it (each line itself, a string).
   */
  private finishedInFirstArgumentMode(emitter: object, buffered: unknown[]): boolean | string {
    if (buffered.every(Array.isArray)) return false;
    return this.reader.isReadline(emitter) ? true : 'in its first-argument mode, not made by readline: not carried yet';
  }

  /** `emitter`, which only eventHandler (pausing and resuming it) closes over besides the iterator's methods. */
  private emitterOf(scope: Scope): ProgramValue {
    return this.reader.internalScopes(scope.eventHandler)?.find((s) => 'emitter' in s)?.emitter;
  }
}

/** The items of one of Node's FixedQueues (lib/internal/fixed_queue.js), oldest first; undefined for anything else. */
function queued(queue: ProgramValue): unknown[] | undefined {
  if (Array.isArray(queue)) return [...queue];
  const items: unknown[] = [];
  for (let buffer = queue?.tail, hops = 0; buffer; buffer = buffer.next, hops++) {
    const { list, bottom, top } = buffer;
    if (!Array.isArray(list) || typeof bottom !== 'number' || typeof top !== 'number' || hops > 1 << 20)
      return undefined;
    for (let i = bottom; i !== top; i = (i + 1) % list.length) items.push(list[i]);
  }
  return items;
}
