// Checkpoint Here inside a callback: Node's own frames on the paused stack. They cannot be
// resumed (their functions close over Node's internals), so each run of them is read as the part
// it plays once the program's frame above it returns (format/sections.ts `RuntimeRole`), and the
// restore plays that part: a timer's callback returns into the restored timer, a listener into
// the rest of emit(), a tick into the rest of the tick queue. A run Ferry cannot play is refused,
// naming the frame.
import type { Protocol } from 'devtools-protocol';
import type { RuntimeRole } from '../format/sections';
import { tailCallAt } from '../resume/tail-call';

type CallFrame = Protocol.Debugger.CallFrame;

/** A value of a runtime frame, read by evaluating a variable name on it (its index among the agent's values). */
export type ReadValue = (frame: CallFrame, name: string) => Promise<number | undefined>;

/** What the agent is handed for the roles (indices among the agent's values). */
export interface RoleValues {
  /** emit()'s emitter, arguments, and its listeners with the position of the running one. */
  listeners?: { emitter: number; args: number; handler: number; cloned?: number; index?: number };
  /** afterWrite()'s own function and arguments: the stream, the callbacks left to call, the callback. */
  afterWrite?: { fn: number; stream: number; count: number; cb: number };
}

/** The timer or immediate being run (indices among the agent's values). */
export interface RunningInput {
  kind: 'timer' | 'immediate';
  value: number;
  /** listOnTimeout's loop time from before the callback: an interval is re-armed from it. */
  start?: number;
}

export interface RuntimeSegment {
  roles: RuntimeRole[];
  values: RoleValues;
  running?: RunningInput;
  /** Ticks run between two immediates of a batch: the next one, which has not run yet (an index among the agent's values). */
  batchFrom?: number;
}

export interface SegmentContext {
  frames: CallFrame[];
  urlOf: (frame: CallFrame) => string;
  sourceOf: (scriptId: string) => Promise<string>;
  read: ReadValue;
  /** The frame above the run (the program's), for messages. */
  above: string;
  /** Throws the refusal of a paused stack with `message`. */
  refuse: (message: string) => never;
}

const is = (frame: CallFrame | undefined, name: string, url: RegExp, urlOf: (f: CallFrame) => string) =>
  !!frame && frame.functionName === name && url.test(urlOf(frame));

const EVENTS = /^node:events$/;
const TIMERS = /^node:internal\/timers$/;
const TASK_QUEUES = /^node:internal\/process\/task_queues$/;
const ASYNC_HOOKS = /^node:async_hooks$/;
const MODULES = /^node:internal\/modules\/cjs\/loader$/;
const WRITABLE = /^node:internal\/streams\/writable$/;

/** Node's frames between two frames of the program: only emit() can be played there. */
export async function betweenSegment(context: SegmentContext): Promise<RuntimeSegment> {
  const { frames, urlOf } = context;
  if (frames.length === 1 && is(frames[0], 'emit', EVENTS, urlOf))
    return { roles: ['listeners'], values: { listeners: await emitValues(context, frames[0]) } };
  const tail = await tailRole(context, 0);
  if (typeof tail === 'string') return { roles: [tail], values: {} };
  return refuse(context, tail.notAt);
}

/** Node's frames under the program's outermost frame, down to the event loop. */
export async function bottomSegment(context: SegmentContext): Promise<RuntimeSegment> {
  const { frames } = context;
  if (frames.length === 0) return { roles: ['microtask'], values: {} };
  const roles: RuntimeRole[] = [];
  const values: RoleValues = {};
  let i = await callerOfTheFrame(context, roles, values);
  // Then Node's frames that only return, down to the code of the event loop that ran them.
  let handsOn = true;
  for (; i < frames.length && !(await isEventLoopCode(context, i)); i++) {
    const tail = tailCallAt(await context.sourceOf(frames[i].location.scriptId), location(frames[i]));
    if (!tail) return refuse(context, i);
    handsOn &&= tail === 'value';
  }
  if (i === frames.length) return { roles: [...roles, handsOn ? 'tail-value' : 'tail'], values };
  return eventLoopCode(context, i, roles, values);
}

/** The frame right under the program's, when it is one whose rest Ferry plays (emit, afterWrite): the index after it. */
async function callerOfTheFrame(context: SegmentContext, roles: RuntimeRole[], values: RoleValues): Promise<number> {
  const [frame] = context.frames;
  if (is(frame, 'emit', EVENTS, context.urlOf)) {
    roles.push('listeners');
    values.listeners = await emitValues(context, frame);
    return 1;
  }
  if (is(frame, 'afterWrite', WRITABLE, context.urlOf)) {
    roles.push('afterWrite');
    values.afterWrite = await afterWriteValues(context, frame);
    return 1;
  }
  return 0;
}

/** Where the event loop's own code begins: ticks, timers, immediates, microtasks, the module loader. */
async function isEventLoopCode(context: SegmentContext, i: number): Promise<boolean> {
  const { frames, urlOf } = context;
  return (
    is(frames[i], 'processTicksAndRejections', TASK_QUEUES, urlOf) ||
    is(frames[i], 'listOnTimeout', TIMERS, urlOf) ||
    is(frames[i], 'processImmediate', TIMERS, urlOf) ||
    isQueuedMicrotask(context, i) ||
    (await isModuleCompile(context, frames[i]))
  );
}

/**
 * Module.prototype._compile, which runs a CommonJS module's top level. V8 names a paused frame of
 * a function assigned to a property after the assignment (`Module._compile`) up to V8 11 (Node
 * 20); from V8 12 (Node 22) such a frame is nameless, and the assignment is read from the source
 * right before the function (its location is that of its parameters).
 */
async function isModuleCompile(context: SegmentContext, frame: CallFrame | undefined): Promise<boolean> {
  if (!frame || !MODULES.test(context.urlOf(frame))) return false;
  if (frame.functionName) return frame.functionName === 'Module._compile';
  const at = frame.functionLocation;
  if (!at) return false;
  const line = (await context.sourceOf(at.scriptId)).split('\n')[at.lineNumber] ?? '';
  return /(?:^|[^\w$.])Module\.prototype\._compile\s*=\s*function\s*$/.test(line.slice(0, at.columnNumber));
}

/** queueMicrotask(): its callback runs inside an AsyncResource's scope, itself a microtask. */
function isQueuedMicrotask(context: SegmentContext, i: number): boolean {
  const { frames, urlOf } = context;
  return (
    is(frames[i], '', TASK_QUEUES, urlOf) &&
    is(frames[i + 1], 'runInAsyncScope', ASYNC_HOOKS, urlOf) &&
    is(frames[i + 2], 'runMicrotask', TASK_QUEUES, urlOf)
  );
}

/** The event loop's code from frame i down: the part it plays once the frames above return. */
async function eventLoopCode(
  context: SegmentContext,
  i: number,
  roles: RuntimeRole[],
  values: RoleValues,
): Promise<RuntimeSegment> {
  const { frames, urlOf } = context;
  const queued = isQueuedMicrotask(context, i);
  if (queued) i += 3;
  if (i === frames.length) return { roles: [...roles, 'microtask'], values };
  if (is(frames[i], 'processTicksAndRejections', TASK_QUEUES, urlOf)) {
    const microtask = queued || (await calleeAt(context, frames[i])) === 'runMicrotasks';
    return {
      roles: [...roles, microtask ? 'microtask' : 'tick'],
      values,
      batchFrom: await betweenCallbacksOfABatch(context, i + 1),
    };
  }
  if (queued) return refuse(context, i);
  if (is(frames[i], 'listOnTimeout', TIMERS, urlOf) && is(frames[i + 1], 'processTimers', TIMERS, urlOf)) {
    const running = await readRunning(context, frames[i], 'timer', 'timer', 'start');
    if (i + 2 === frames.length) return { roles: [...roles, 'timer'], values, running };
  }
  if (is(frames[i], 'processImmediate', TIMERS, urlOf) && i + 1 === frames.length)
    return { roles: [...roles, 'immediate'], values, running: await readRunning(context, frames[i], 'immediate') };
  // A CommonJS module's top level, being loaded: Node's loader returns through its frames.
  if (await isModuleCompile(context, frames[i])) return { roles: [...roles, 'tail'], values };
  return refuse(context, i);
}

/**
 * Ticks run between two callbacks of a timer list or an immediate batch (runNextTicks): the
 * timers are still on their lists; the immediates left of the batch start at processImmediate's
 * next one.
 */
async function betweenCallbacksOfABatch(context: SegmentContext, i: number): Promise<number | undefined> {
  const { frames, urlOf } = context;
  if (i === frames.length) return undefined;
  if (!is(frames[i], 'runNextTicks', TASK_QUEUES, urlOf)) return refuse(context, i);
  const below = frames.slice(i + 1);
  if (below.length === 1 && is(below[0], 'processImmediate', TIMERS, urlOf)) {
    const next = await context.read(below[0], 'immediate');
    return next ?? refuse(context, i + 1);
  }
  const timerCode =
    (below.length === 1 && is(below[0], 'processTimers', TIMERS, urlOf)) ||
    (below.length === 2 &&
      is(below[0], 'listOnTimeout', TIMERS, urlOf) &&
      is(below[1], 'processTimers', TIMERS, urlOf));
  return timerCode ? undefined : refuse(context, i + 1);
}

async function readRunning(
  context: SegmentContext,
  frame: CallFrame,
  kind: 'timer' | 'immediate',
  name = kind,
  startName?: string,
): Promise<RunningInput> {
  const value = await context.read(frame, name);
  if (value === undefined) return refuse(context, context.frames.indexOf(frame));
  const start = startName ? await context.read(frame, startName) : undefined;
  return { kind, value, ...(start !== undefined ? { start } : {}) };
}

/**
 * emit()'s own variables (lib/events.js): one listener (`handler` a function), or the loop's index
 * over them, in a clone of them (`listeners`, Node 20 and 22) or in `handler` itself (Node 24, where
 * a listener removed during the loop is removed from a copy).
 */
async function emitValues(context: SegmentContext, frame: CallFrame): Promise<NonNullable<RoleValues['listeners']>> {
  const [emitter, args, handler] = await Promise.all(['this', 'args', 'handler'].map((n) => context.read(frame, n)));
  const [cloned, index] = await Promise.all(['listeners', 'i'].map((n) => context.read(frame, n)));
  if (emitter === undefined || args === undefined || handler === undefined)
    return refuse(context, context.frames.indexOf(frame));
  return {
    emitter,
    args,
    handler,
    ...(cloned !== undefined ? { cloned } : {}),
    ...(index !== undefined ? { index } : {}),
  };
}

/** afterWrite(stream, state, count, cb) paused in its loop of callbacks: `count` is what is left of it. */
async function afterWriteValues(
  context: SegmentContext,
  frame: CallFrame,
): Promise<NonNullable<RoleValues['afterWrite']>> {
  const [fn, stream, count, cb] = await Promise.all(
    ['afterWrite', 'stream', 'count', 'cb'].map((n) => context.read(frame, n)),
  );
  if (fn === undefined || stream === undefined || count === undefined || cb === undefined)
    return refuse(context, context.frames.indexOf(frame));
  return { fn, stream, count, cb };
}

/**
 * The frames from `from` on, when each only returns once its call returns: `tail-value` when they
 * hand its value on; else the first that does more.
 */
async function tailRole(context: SegmentContext, from: number): Promise<RuntimeRole | { notAt: number }> {
  let handsOn = true;
  for (let i = from; i < context.frames.length; i++) {
    const frame = context.frames[i];
    const tail = tailCallAt(await context.sourceOf(frame.location.scriptId), location(frame));
    if (!tail) return { notAt: i };
    handsOn &&= tail === 'value';
  }
  return handsOn ? 'tail-value' : 'tail';
}

/** The name called at a frame's position (`runMicrotasks` in `runMicrotasks();`). */
async function calleeAt(context: SegmentContext, frame: CallFrame): Promise<string | undefined> {
  const source = await context.sourceOf(frame.location.scriptId);
  const line = source.split('\n')[frame.location.lineNumber] ?? '';
  return /^[A-Za-z_$][\w$]*/.exec(line.slice(frame.location.columnNumber ?? 0))?.[0];
}

const location = (frame: CallFrame) => ({
  line: frame.location.lineNumber,
  column: frame.location.columnNumber ?? 0,
});

function refuse(context: SegmentContext, i: number): never {
  const frame = context.frames[i] ?? context.frames[0];
  const where = frame
    ? `${frame.functionName || 'anonymous'} in ${context.urlOf(frame)}:${frame.location.lineNumber + 1}`
    : 'the event loop';
  return context.refuse(
    `${context.above} was called by Node's own code (${where}), which goes on after it returns in a way Ferry cannot play: step out of it, or checkpoint at idle`,
  );
}
