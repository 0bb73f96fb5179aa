// Checkpoint Here: what is queued to run before the event loop's next turn. A breakpoint can stop
// the program with process.nextTick callbacks queued (by the paused code, or ticks of a batch not
// yet run). They are read from Node's own queue (lib/internal/process/task_queues.js keeps it in a
// module variable, `queue`, that process.nextTick closes over) and queued again, in order, at restore.
import type { FrameInput } from './frame-values';
import type { QueuedMicrotask, RuntimeRole } from '../../format/sections';
import type { ProgramFunction } from '../../heap/program-value';

/** One queued process.nextTick call: its callback and arguments. */
export interface QueuedTick {
  callback: ProgramFunction;
  args: unknown[] | undefined;
}

interface CircularBuffer {
  bottom: number;
  top: number;
  list: unknown[];
  next: CircularBuffer | null;
}

interface FixedQueue {
  head: CircularBuffer;
  tail: CircularBuffer;
}

/** The queued ticks, oldest first (FixedQueue: circular buffers from `tail` on, each from `bottom` to `top`). */
export function readTickQueue(queue: FixedQueue): QueuedTick[] {
  const ticks: QueuedTick[] = [];
  for (let buffer: CircularBuffer | null = queue.tail; buffer; buffer = buffer.next) {
    const mask = buffer.list.length - 1;
    for (let i = buffer.bottom; i !== buffer.top; i = (i + 1) & mask) {
      const tock = buffer.list[i] as { callback: ProgramFunction; args?: unknown[] } | undefined;
      if (tock) ticks.push({ callback: tock.callback, args: tock.args });
    }
  }
  return ticks;
}

/**
 * task_queues.js's module scope: its tick queue (`queue`), and `enqueueMicrotask`, Node's binding
 * to V8's own enqueue (internalBinding('task_queue')).
 */
export interface TaskQueuesScope {
  queue: FixedQueue;
  enqueueMicrotask?: unknown;
}

/**
 * task_queues.js's module scope, from the closure scopes of Node's own functions that close over
 * it (process.nextTick, and process._tickCallback should the program have replaced nextTick): a
 * handful of inspector calls, where finding it in a heap snapshot cost the whole heap's.
 */
export function taskQueuesInScopes(
  nodeFunctions: unknown[],
  scopesOf: (fn: ProgramFunction) => ArrayLike<{ object: unknown }> | undefined,
): TaskQueuesScope {
  for (const fn of nodeFunctions) {
    if (typeof fn !== 'function') continue;
    for (const { object } of Array.from(scopesOf(fn as ProgramFunction) ?? [])) {
      const scope = object as Partial<TaskQueuesScope> | null;
      if (isFixedQueue(scope?.queue)) return scope as TaskQueuesScope;
    }
  }
  throw new Error(`cannot find the process.nextTick queue of this Node version (${process.version})`);
}

function isFixedQueue(value: unknown): value is FixedQueue {
  const queue = value as Partial<FixedQueue> | null | undefined;
  return (
    typeof queue === 'object' &&
    queue !== null &&
    queue.constructor?.name === 'FixedQueue' &&
    Array.isArray(queue.tail?.list) &&
    Array.isArray(queue.head?.list)
  );
}

/**
 * V8's microtask queue, read from a heap snapshot (nothing else shows it): the task running now
 * (`current_microtask` of the isolate's roots) and those queued, in the order they run. A value a
 * task holds that the snapshot does not show (a small integer, undefined, null, a boolean) is
 * `unread`: carried only where nothing uses it.
 */
export type Microtask =
  | {
      kind: 'reaction';
      rejects: boolean;
      handler: ProgramFunction | undefined;
      argument: TaskValue;
      /** The promise the reaction settles (undefined for an await's). */
      promise: object | undefined;
      /** The handler's heap id: an await continuation's handler is a builtin closure. */
      handlerId: number | undefined;
    }
  | { kind: 'callback'; callback: ProgramFunction }
  | { kind: 'thenable'; promise: object; then: ProgramFunction; thenable: object }
  | { kind: 'other'; name: string };

export type TaskValue = { value: unknown } | { unread: string };

export interface MicrotaskGraph {
  nodesNamed(name: string): number[];
  edges(heapId: number): Array<{ name: string | number; to: number; toName: string }>;
  retainers(heapId: number): Array<{ from: number; name: string | number }>;
  stringValue(heapId: number): string | undefined;
}

/** What tells, without a heap snapshot, that V8's microtask queue is empty and runs nothing. */
export interface MicrotaskEvidence {
  /** The part Node's frames under the outermost paused frame play, the event loop's last. */
  calledBy: RuntimeRole[] | undefined;
  /** Whether a promise of the heap is pending (or may be: too many to ask each). */
  anyPendingPromise(): boolean;
  /** Whether a callback queueMicrotask() queued may be waiting in the queue. */
  queuedCallbackMayWait(): boolean;
}

/**
 * Whether microtasks may be queued or running behind the paused stack (then the heap snapshot
 * reads them). Not when the outermost frame was called by the event loop's own code for a timer,
 * an immediate or a tick (no microtask runs then), no promise is pending (a reaction or thenable
 * job settles one, or resumes an async function whose promise is), and no queueMicrotask()
 * callback may wait.
 */
export function microtasksMayBeQueued(evidence: MicrotaskEvidence): boolean {
  const task = evidence.calledBy?.at(-1);
  if (task !== 'timer' && task !== 'immediate' && task !== 'tick') return true;
  return evidence.anyPendingPromise() || evidence.queuedCallbackMayWait();
}

/**
 * Whether a queueMicrotask() callback may wait in V8's queue. Node's queueMicrotask queues each
 * callback bound to an AsyncResource that holds it (`callback`): none alive, none waits. A
 * version of it that may queue the callback itself (Node 24's when no async context is in use),
 * or the program's own, leaves that unknown.
 */
export function queueMicrotaskMayWait(
  queueMicrotask: unknown,
  isUserFunction: (fn: ProgramFunction) => boolean,
  microtaskResources: () => object[] | undefined,
): boolean {
  if (typeof queueMicrotask !== 'function' || isUserFunction(queueMicrotask as ProgramFunction)) return true;
  const text = Function.prototype.toString.call(queueMicrotask);
  const queues = text.match(/\benqueueMicrotask\(/g) ?? [];
  if (queues.length !== 1 || !/\benqueueMicrotask\(\s*FunctionPrototypeBind\(\s*runMicrotask\b/.test(text)) return true;
  const resources = microtaskResources();
  return resources === undefined || resources.some((resource) => Object.hasOwn(resource, 'callback'));
}

export interface MicrotaskQueue {
  current: Microtask | undefined;
  queued: Microtask[];
}

const TASK = /^system \/ (\w+Task)$/;
/**
 * The heap snapshot's roots that hold V8's microtask queue: the isolate's task running now
 * (`current_microtask`) and the queue's ring (in order, by number). V8 12 (Node 22) and later name
 * them "(Strong root list)" and "(Micro tasks)"; V8 11 (Node 20) shows both as "(Strong roots)".
 */
const MICROTASK_ROOTS = ['(Strong roots)', '(Strong root list)', '(Micro tasks)'];

export function readMicrotasks(g: MicrotaskGraph, objectByHeapId: (id: number) => unknown): MicrotaskQueue {
  const edges = MICROTASK_ROOTS.flatMap((root) => g.nodesNamed(root))
    .flatMap((id) => g.edges(id))
    .filter((e) => TASK.test(e.toName));
  const read = (e: { to: number; toName: string }) => readTask(g, objectByHeapId, e.to, TASK.exec(e.toName)![1]);
  const current = edges.find((e) => e.name === 'current_microtask');
  return {
    current: current && read(current),
    queued: edges.filter((e) => /^\d+$/.test(String(e.name))).map(read),
  };
}

/**
 * Queued by the capture at the end of V8's microtask queue before the heap snapshot, through
 * Node's binding to V8's own enqueue (no async hook or promise hook sees it); it does nothing when
 * it runs. Found in the queue read from the snapshot, it proves the queue was read where V8 keeps
 * it: a Node whose V8 shows it elsewhere would otherwise read as an empty queue, and the restore
 * would go on without the queued work.
 */
export function microtaskProbe(): void {}

/** Queues the probe; none where this Node's enqueue is not in that scope, and the queue read is then refused. */
export function queueMicrotaskProbe(scope: TaskQueuesScope): void {
  if (typeof scope.enqueueMicrotask === 'function') scope.enqueueMicrotask(microtaskProbe);
}

/**
 * The program's queued tasks: those ahead of the last probe (an earlier capture's may still be
 * queued), the probes left out; undefined when the queue read shows no probe.
 */
export function aheadOfProbe(queued: Microtask[]): Microtask[] | undefined {
  const isProbe = (task: Microtask) => task.kind === 'callback' && task.callback === microtaskProbe;
  const last = queued.findLastIndex(isProbe);
  return last === -1 ? undefined : queued.slice(0, last).filter((task) => !isProbe(task));
}

/**
 * The slots every task starts with: from V8 12 (Node 22), the async context it was queued in
 * (`continuation_preserved_embedder_data`: undefined, or Node 24's AsyncContextFrame).
 */
const TASK_HEADER_SLOTS = Number(process.versions.v8.split('.')[0]) >= 12 ? 1 : 0;

/** A task's fields, by their hidden indices: V8 counts heap objects and oddballs, not small integers. */
function readTask(g: MicrotaskGraph, objectByHeapId: (id: number) => unknown, id: number, kind: string): Microtask {
  const fields = g.edges(id).filter((e) => typeof e.name === 'number');
  const at = (i: number) => fields.find((e) => e.name === i);
  const object = (i: number) => {
    const edge = at(i);
    return edge && objectOrNothing(objectByHeapId, edge);
  };
  const first = TASK_HEADER_SLOTS;
  if (kind === 'CallableTask') {
    const callable = object(first) as ProgramFunction | undefined;
    return callable ? { kind: 'callback', callback: callable } : { kind: 'other', name: kind };
  }
  if (kind === 'PromiseResolveThenableJobTask') {
    // context, promise_to_resolve, thenable, then (a heap snapshot of a queued job shows them so).
    const [promise, thenable, then] = [object(first + 1), object(first + 2), object(first + 3)];
    return promise && then && thenable
      ? { kind: 'thenable', promise: promise as object, then: then as ProgramFunction, thenable: thenable as object }
      : { kind: 'other', name: kind };
  }
  if (kind !== 'PromiseFulfillReactionJobTask' && kind !== 'PromiseRejectReactionJobTask')
    return { kind: 'other', name: kind };
  // argument, context, handler, promise_or_capability: the context fixes where the others are.
  const context = fields.find((e) => /^system \/ (Native)?Context$/.test(e.toName));
  if (!context) return { kind: 'other', name: kind };
  const c = context.name as number;
  const argument = c > first ? at(first) : undefined;
  const handler = at(c + 1);
  const promise = at(c + 2);
  return {
    kind: 'reaction',
    rejects: kind === 'PromiseRejectReactionJobTask',
    handler: handler && (objectOrNothing(objectByHeapId, handler) as ProgramFunction | undefined),
    handlerId: handler?.to,
    argument: argument
      ? valueOf(g, objectByHeapId, argument)
      : { unread: c === first ? 'a small integer' : 'undefined, null or a boolean' },
    promise: promise && (objectOrNothing(objectByHeapId, promise) as object | undefined),
  };
}

function valueOf(
  g: MicrotaskGraph,
  objectByHeapId: (id: number) => unknown,
  edge: { to: number; toName: string },
): TaskValue {
  const object = objectOrNothing(objectByHeapId, edge);
  if (object !== undefined) return { value: object };
  const text = g.stringValue(edge.to);
  return text !== undefined ? { value: text } : { unread: `a value the heap snapshot names "${edge.toName}"` };
}

/**
 * The JS object an edge leads to; undefined for what is no object of the program's (a string, a
 * number, or one of V8's own, which the inspector is not asked for: handing one out crashed Node 20).
 */
function objectOrNothing(objectByHeapId: (id: number) => unknown, edge: { to: number; toName: string }): unknown {
  if (/^(?:system \/ |\()/.test(edge.toName)) return undefined;
  try {
    return objectByHeapId(edge.to);
  } catch {
    return undefined;
  }
}

export interface QueueHost {
  isUserFunction(fn: ProgramFunction): boolean;
  /** The async function (or async generator) object an await continuation resumes. */
  awaitingFunction(handlerId: number): { kind: 'Generator' | 'AsyncGenerator'; object: object } | undefined;
  /** Adds an async function suspended at an await of `awaited` as a frame; returns its index. */
  addSuspended(asyncFunction: object, awaited: object, unread?: string): number;
  internals(value: object): Record<string, unknown>;
}

/** The queued microtasks as entries to queue again, or why one cannot be. */
export function queuedEntries(queued: Microtask[], host: QueueHost): Array<QueuedMicrotask | string> {
  return queued.map((task) => queuedEntry(task, host));
}

function queuedEntry(task: Microtask, host: QueueHost): QueuedMicrotask | string {
  switch (task.kind) {
    case 'other':
      return `a microtask of a kind Ferry does not carry (${task.name}) is queued`;
    case 'thenable':
      return task;
    case 'callback': {
      // queueMicrotask(): Node 24 queues the callback itself when no async context is in use;
      // else Node queues runMicrotask bound to an AsyncResource holding the callback.
      if (host.isUserFunction(task.callback)) return { kind: 'callback', callback: task.callback };
      const resource = host.internals(task.callback)['[[BoundThis]]'] as { callback?: unknown } | undefined;
      const callback = resource?.callback;
      return typeof callback === 'function'
        ? { kind: 'callback', callback: callback as ProgramFunction }
        : "a microtask queued by Node's own code is queued";
    }
    case 'reaction':
      return reactionEntry(task, host);
  }
}

function reactionEntry(task: Extract<Microtask, { kind: 'reaction' }>, host: QueueHost): QueuedMicrotask | string {
  const awaiting = task.handlerId === undefined ? undefined : host.awaitingFunction(task.handlerId);
  if (awaiting?.kind === 'AsyncGenerator') return "an async generator's await is about to go on: not carried yet";
  if (awaiting) {
    // Its await goes on with a promise settled as the awaited one was.
    const value = 'value' in task.argument ? task.argument.value : undefined;
    const awaited = task.rejects ? Promise.reject(value) : Promise.resolve(value);
    awaited.catch(() => undefined);
    const unread = 'unread' in task.argument ? task.argument.unread : undefined;
    return { kind: 'await', frame: host.addSuspended(awaiting.object, awaited, unread) };
  }
  if (task.promise !== undefined && Object.getPrototypeOf(task.promise) !== Promise.prototype)
    return "a promise reaction that settles a promise subclass or a thenable's capability is queued: not carried yet";
  if ('unread' in task.argument && !(task.handler && ignoresArguments(task.handler, host)))
    return `a promise reaction is queued with ${task.argument.unread}, which a heap snapshot does not show`;
  const argument = 'value' in task.argument ? task.argument.value : undefined;
  return { kind: 'reaction', rejects: task.rejects, handler: task.handler, argument, promise: task.promise };
}

/** A function of the program's declaring no parameter and not reading `arguments`: what it is called with does not matter. */
export function ignoresArguments(fn: ProgramFunction, host: Pick<QueueHost, 'isUserFunction'>): boolean {
  if (!host.isUserFunction(fn) || fn.length !== 0) return false;
  const text = Function.prototype.toString.call(fn);
  return /^(?:async\s*)?(?:function\b[^(]*)?\(\s*\)/.test(text) && !/\barguments\b/.test(text);
}

export interface MicrotaskHost extends QueueHost {
  locationOf(fn: ProgramFunction): { scriptId: string; lineNumber: number; columnNumber: number } | undefined;
  refuse(path: string, reason: string): void;
}

/**
 * Checks the microtask running the paused stack against the stack's frames (a promise reaction's
 * frame gets the promise it settles). Before the frames become roots.
 */
export function checkRunningMicrotask(
  queue: MicrotaskQueue,
  stack: { frames: FrameInput[]; values: unknown[] },
  host: MicrotaskHost,
): void {
  const running = runningMicrotask(queue.current, stack, host);
  if (running) host.refuse('the paused stack', running);
}

/** The queued microtasks to queue again at restore; what cannot be carried is refused. After the frames become roots. */
export function queuedMicrotasks(queue: MicrotaskQueue, host: MicrotaskHost): QueuedMicrotask[] {
  const entries = queuedEntries(queue.queued, host);
  entries.forEach((entry, i) => {
    if (typeof entry === 'string')
      host.refuse(`microtask queue › [${i}]`, `${entry}: step on until it has run, or checkpoint at idle`);
  });
  return entries.filter((entry): entry is QueuedMicrotask => typeof entry !== 'string');
}

/** Why the running microtask cannot be carried with the stack, if it cannot. */
function runningMicrotask(
  task: Microtask | undefined,
  stack: { frames: FrameInput[]; values: unknown[] },
  host: MicrotaskHost,
): string | undefined {
  const frame = stack.frames.find((f) => f.microtask);
  if (!task)
    return frame ? 'its outermost frame was called by V8 outside any task Ferry knows: checkpoint at idle' : undefined;
  if (!frame)
    return "it runs inside a microtask of Node's own code (a promise reaction), which goes on in a way Ferry cannot play: step out of it, or checkpoint at idle";
  if (task.kind === 'callback') return undefined;
  if (task.kind !== 'reaction') return `it runs inside a microtask of a kind Ferry does not carry (${task.kind})`;
  // An await going on in an async function, or in a module's body at a top-level await.
  if (task.handlerId !== undefined && host.awaitingFunction(task.handlerId))
    return frame.runningAsync || frame.moduleBody
      ? undefined
      : 'it runs an await continuation of another function than its outermost frame';
  const at = task.handler && host.locationOf(task.handler);
  const own = frame.microtask!;
  if (
    !at ||
    at.scriptId !== own.scriptId ||
    at.lineNumber !== own.lineNumber ||
    at.columnNumber !== (own.columnNumber ?? 0)
  )
    return 'it runs inside a promise reaction whose handler is not its outermost frame';
  if (task.promise === undefined) return undefined;
  if (Object.getPrototypeOf(task.promise) !== Promise.prototype)
    return "it runs a promise reaction that settles a promise subclass or a thenable's capability: not carried yet";
  frame.reaction = stack.values.push(task.promise) - 1;
  return undefined;
}
