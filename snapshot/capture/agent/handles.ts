// Live handles: timers and immediates (read from Node's own timer lists, in firing order),
// listening servers, connections (sockets.ts), process listeners. Each is written with its own
// record kind so that the restore runtime re-arms, re-listens or reconnects it instead of copying
// its internals.
import { ImmediateFlag, K, TimerFlag } from '../../heap/tags';
import type { Introspector } from './inspector';
import { symbolByDescription } from '../../heap/builtins';
import type { HeapWalker } from './walker';
import type { ProgramFunction, ProgramValue } from '../../heap/program-value';
import { CarriedSockets } from './sockets';

export interface TimerInternals {
  _idleTimeout: number;
  _idleStart: number;
  _onTimeout: ProgramFunction | null;
  _timerArgs?: unknown[];
  _repeat: number | null;
  _destroyed: boolean;
  _idleNext?: ProgramValue;
  hasRef(): boolean;
}

export interface ImmediateInternals {
  _onImmediate: ProgramFunction | null;
  _argv?: unknown[];
  _destroyed: boolean;
  _idleNext?: ProgramValue;
  hasRef(): boolean;
}

export interface TimerLists {
  timers: object[];
  immediates: object[];
  now: number;
  /** Timeout.prototype (lib/internal/timers.js): a cleared or fired Timeout the program still holds is one of its. */
  timeoutPrototype: object;
  /**
   * The msecs of the list each listed timer is in: Node fires a timer that long after its start. Not
   * always its `_idleTimeout`: a restored timer waits out its remaining time in a list of that length,
   * its `_idleTimeout` its whole duration again (for refresh()).
   */
  listMsecs: Map<object, number>;
  /** How long a timer armed at `start` (loop time) was held stopped before the idle point: not its time to count. */
  stoppedSince(start: number): number;
}

/**
 * Node keeps active timers in `timerListMap` and immediates in `immediateQueue`, module-level
 * variables of lib/timers.js that its exported functions close over.
 */
export function readTimerLists(
  introspector: Introspector,
  timersModule: ProgramValue,
  idle?: {
    pausedAt: number;
    immediate?: ProgramValue;
    batchFrom?: object;
    earlierStops?: Array<{ from: number; to: number }>;
  },
): TimerLists {
  const scopes = Array.from(
    (introspector.internals(timersModule.setTimeout)['[[Scopes]]'] as Array<{ object: ProgramValue }>) ?? [],
  );
  const scope = scopes.map((s) => s.object).find((o) => o && 'timerListMap' in o && 'immediateQueue' in o);
  if (!scope) throw new Error(`cannot find the timer lists of this Node version (${process.version})`);
  const timers: TimerInternals[] = [];
  const listMsecs = new Map<object, number>();
  for (const list of Object.values(scope.timerListMap as Record<string, ProgramValue>)) {
    // Node appends at _idleNext and fires from _idlePrev: oldest first, as they will fire.
    for (let t = list._idlePrev; t && t !== list; t = t._idlePrev) {
      timers.push(t);
      listMsecs.set(t, list.msecs);
    }
  }
  // Node takes a whole turn's batch off the queue before running it: the rest of ours runs first.
  const immediates: object[] = [];
  // (Or, ticks run between two of the batch: from the one to run next.)
  for (let i = idle?.batchFrom ?? idle?.immediate?._idleNext; i; i = i._idleNext) if (!i._destroyed) immediates.push(i);
  for (let i = scope.immediateQueue.head; i; i = i._idleNext) immediates.push(i);
  // A fresh timer's start is libuv's loop time, the clock the other timers' starts are on.
  const probe = timersModule.setTimeout(() => undefined, 1);
  const performanceNow = performance.now();
  // Time spent stopped does not count: the program's clock stood still at `pausedAt`...
  const now: number = probe._idleStart - (idle ? performanceNow - idle.pausedAt : 0);
  timersModule.clearTimeout(probe);
  // ...nor at the stops on the way here, for the timers armed before each (in loop time: the
  // two clocks run together, `loopOffset` apart). The program ran no code during a stop, so a timer
  // armed before it has a start before its middle: its ends are known to a few ms only, and a
  // timer armed within a ms of either end is common (an interval re-armed from just before the
  // callback a pause landed in; a timeout armed just after it).
  const loopOffset = probe._idleStart - performanceNow;
  const stops = (idle?.earlierStops ?? []).map((stop) => ({
    at: (stop.from + stop.to) / 2 + loopOffset,
    ms: stop.to - stop.from,
  }));
  const stoppedSince = (start: number) => stops.reduce((ms, stop) => (start <= stop.at ? ms + stop.ms : ms), 0);
  const dueAt = (t: TimerInternals) => t._idleStart + listMsecs.get(t)! + stoppedSince(t._idleStart);
  timers.sort((a, b) => dueAt(a) - dueAt(b));
  return { timers, immediates, now, timeoutPrototype: Object.getPrototypeOf(probe), listMsecs, stoppedSince };
}

/**
 * The timer or immediate whose callback is on the paused stack (Checkpoint Here): Node took it off
 * its list to run it, and does what is left once the callback returns (lib/internal/timers.js:
 * listOnTimeout re-arms an interval from `start`, lets a timeout go; processImmediate lets go).
 */
export interface RunningHandle {
  kind: 'timer' | 'immediate';
  value: TimerInternals | ImmediateInternals;
  /** listOnTimeout's loop time from before the callback, for an interval. */
  start?: number;
}

/** Whether Node still owes the running handle its after-callback step: not cleared, not armed again (refresh()). */
export function isStillRunning(running: RunningHandle): boolean {
  if (running.kind === 'immediate') return true;
  const timer = running.value as TimerInternals;
  return !timer._destroyed && !timer._idleNext;
}

export class HandleWriter {
  private readonly timers = new Set<object>();
  private readonly immediates = new Set<object>();
  private readonly servers = new Set<object>();
  /** The connections carried, when the checkpoint carries them (given `net`): else sockets are refused. */
  readonly sockets: CarriedSockets | undefined;
  /** The descriptors of the FileHandles written: their files must travel (files.ts). */
  readonly fileHandleDescriptors = new Set<number>();

  constructor(
    private readonly lists: TimerLists,
    servers: object[],
    private readonly isUserFunction: (fn: ProgramFunction) => boolean,
    private readonly fileWriteStream?: ProgramFunction,
    private readonly running?: RunningHandle,
    net?: ProgramValue,
    private readonly isFileHandle?: (value: object) => boolean,
  ) {
    for (const t of lists.timers) this.timers.add(t);
    if (running?.kind === 'timer') this.timers.add(running.value);
    for (const i of lists.immediates) this.immediates.add(i);
    for (const s of servers) this.servers.add(s);
    this.sockets = net
      ? new CarriedSockets(net, (walker, emitter, id) => this.listeners(walker, emitter, id))
      : undefined;
  }

  write(walker: HeapWalker, value: object, id: number): boolean {
    if (this.timers.has(value)) {
      this.timer(walker, value as TimerInternals, id);
      return true;
    }
    // One cleared (or fired) that a variable still holds: restored cleared, as it was.
    if (Object.getPrototypeOf(value) === this.lists.timeoutPrototype && (value as TimerInternals)._destroyed) {
      this.timer(walker, value as TimerInternals, id);
      return true;
    }
    const running = this.running?.kind === 'immediate' && this.running.value === value;
    if (this.immediates.has(value) || running) {
      const im = value as ImmediateInternals;
      walker.out.byte(K.Immediate);
      walker.value(im._onImmediate, id, 'callback');
      writeArgs(walker, im._argv, id);
      walker.out.byte((im.hasRef() ? ImmediateFlag.Refed : 0) | (running ? ImmediateFlag.Running : 0));
      return true;
    }
    if (this.servers.has(value)) {
      this.server(walker, value as ProgramValue, id);
      this.sockets?.listening(value, id);
      return true;
    }
    if (this.sockets?.carries(value)) {
      this.sockets.write(walker, value, id);
      return true;
    }
    if (isStreamOf(value, this.fileWriteStream)) {
      this.writeStream(walker, value as ProgramValue, id);
      return true;
    }
    if (this.isFileHandle?.(value)) {
      this.fileHandle(walker, value as ProgramValue, id);
      return true;
    }
    return false;
  }

  /**
   * A FileHandle of fs/promises, quiet (no read, write or close in flight): its descriptor, reopened
   * with the program's files, and its own properties but those its class makes (its native
   * handle, descriptor, count of operations, closing promise, bound `close`).
   */
  private fileHandle(walker: HeapWalker, handle: ProgramValue, id: number): void {
    const slot = (name: string) => handle[symbolByDescription(handle, name) ?? ''];
    const fd = slot('kFd');
    if (slot('kClosePromise') || slot('kRefs') !== (fd === -1 ? 0 : 1) || typeof fd !== 'number')
      return walker.refuse(
        id,
        `a FileHandle (file descriptor ${fd}) with an operation in flight (checkpoint when it is done)`,
      );
    if (fd >= 0) this.fileHandleDescriptors.add(fd);
    walker.out.byte(K.FileHandle);
    walker.value(fd, id, '[[FileDescriptor]]');
    walker.properties(
      handle,
      id,
      (key) => key === 'close' || (typeof key === 'symbol' && FILE_HANDLE_SLOTS.includes(key.description ?? '')),
    );
  }

  /**
   * A quiet fs write stream (the agent's uncarriable check refuses any other): its descriptor is
   * reopened with the program's files; the stream is made again on it, with its position and count.
   */
  private writeStream(walker: HeapWalker, stream: ProgramValue, id: number): void {
    walker.out.byte(K.FileWriteStream);
    walker.value(stream.path, id, 'path');
    walker.value(stream.flags, id, 'flags');
    walker.value(stream.mode, id, 'mode');
    walker.out.uint(stream.fd);
    walker.value(stream.pos, id, 'pos');
    walker.out.double(stream.bytesWritten);
    walker.out.byte(stream._writableState?.autoDestroy === false ? 0 : 1);
    this.listeners(walker, stream, id);
  }

  private timer(walker: HeapWalker, t: TimerInternals, id: number): void {
    walker.out.byte(K.Timer);
    walker.value(t._onTimeout, id, 'callback');
    writeArgs(walker, t._timerArgs, id);
    const running = this.running?.value === t;
    // Running, an interval is re-armed from the loop time before its callback (a timeout's time is spent).
    const [start, wait] = running
      ? [this.running!.start ?? this.lists.now, t._repeat ?? 0]
      : [t._idleStart, this.lists.listMsecs.get(t) ?? t._idleTimeout];
    // Never more than its wait, as in Node: the clocks read here tick in whole ms, and an interval's
    // remaining a ms over its period would fire it after one its pass ran first (and reorder them).
    const remaining = start + wait + this.lists.stoppedSince(start) - this.lists.now;
    walker.out.double(Math.max(0, Math.min(wait, remaining)));
    walker.out.double(t._idleTimeout); // its duration, which refresh() starts again from
    walker.out.double(t._repeat ?? 0);
    walker.out.byte(
      (t.hasRef() ? TimerFlag.Refed : 0) | (t._destroyed ? TimerFlag.Cleared : 0) | (running ? TimerFlag.Running : 0),
    );
  }

  /** The program's own listeners of an emitter (Node's own are made again with the object). */
  private listeners(walker: HeapWalker, emitter: ProgramValue, id: number): void {
    const listeners: Array<[string | symbol, ProgramFunction]> = [];
    for (const name of Reflect.ownKeys(emitter._events ?? {})) {
      for (const fn of emitter.rawListeners(name) as ProgramFunction[])
        if (this.isUserFunction(fn)) listeners.push([name, fn]);
    }
    walker.out.uint(listeners.length);
    for (const [name, fn] of listeners) {
      walker.value(name, id, 'event');
      walker.value(fn, id, `on(${String(name)})`);
    }
  }

  /** A listening server: its class, address and the program's own listeners. */
  private server(walker: HeapWalker, server: ProgramValue, id: number): void {
    const address = server.address();
    walker.out.byte(K.Server);
    walker.value(Object.getPrototypeOf(server), id, '[[Prototype]]');
    walker.value(typeof address === 'string' ? address : address?.address, id, 'address');
    walker.value(typeof address === 'string' ? null : address?.port, id, 'port');
    this.listeners(walker, server, id);
    // Settings the program changed (timeouts, limits): primitive own properties.
    const settings = Object.keys(server).filter((k) => !k.startsWith('_') && isPrimitive(server[k]));
    walker.out.uint(settings.length);
    for (const key of settings) {
      walker.value(key, id, key);
      walker.value(server[key], id, key);
    }
  }
}

/** The symbols a FileHandle keeps its native state under (lib/internal/fs/promises.js). */
const FILE_HANDLE_SLOTS = ['kHandle', 'kFd', 'kRefs', 'kClosePromise'];

function writeArgs(walker: HeapWalker, args: unknown[] | undefined, id: number): void {
  const list = args ?? [];
  walker.out.uint(list.length);
  list.forEach((arg, i) => walker.value(arg, id, `args[${i}]`));
}

function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

/**
 * Whether `value` is a stream of class `cls`: an instance with its own state, not an object made
 * from the class's prototype (graceful-fs's subclass prototype `Object.create(fs.WriteStream.prototype)`).
 */
export function isStreamOf(value: unknown, cls: ProgramFunction | undefined): boolean {
  return (
    cls !== undefined &&
    value instanceof cls &&
    (Object.hasOwn(value, '_writableState') || Object.hasOwn(value, '_readableState'))
  );
}
