// Checkpoint Here, in the restored process. Each paused frame's resume variant is generated again
// from the original source (snapshot/resume; the same text capture checked), created inside the
// context its function closed over (restore/functions.ts), and the variants are chained outermost
// first: the innermost runs its paused statement again, each caller goes on from its pending call
// with the inner frame's result, and what the outermost frame returns or throws is the program's.
import { generateResumeVariant, type Location0, type ResumeVariant } from '../resume/index';
import { K } from '../heap/tags';
import type { HeapRecord } from '../heap/decoder';
import type { VariantPlacement } from './functions';
import { stackName } from './layout';
import type { PromiseSettlers, RebuiltHeap } from './rebuild';
import type { ArrayIteration, QueuedMicrotask, RuntimeRole, SourceEntry, StoredFrame } from '../format/sections';
import type { ProgramFunction } from '../heap/program-value';

interface FrameData {
  scopes: Array<Record<string, unknown>>;
  this: unknown;
  arguments: unknown;
  self: unknown;
  newTarget: unknown;
  home: unknown;
  superConstructor: unknown;
  loops: unknown[];
  nativeIndex: unknown;
  awaited: unknown;
  promise: unknown;
  /** The rest of the emit() that runs this listener (capture/agent/frame-values.ts). */
  listeners?: { emitter: unknown; args: unknown[]; rest: ProgramFunction[] };
  /** The promise the promise reaction this frame runs settles with its result. */
  reaction?: unknown;
  /** Node's afterWrite and what is left of its call (capture/runtime-frames.ts). */
  afterWrite?: { fn: ProgramFunction; stream: { _writableState: unknown }; count: number; cb: ProgramFunction };
}

export interface PlannedFrames {
  variants: ResumeVariant[];
  placements: VariantPlacement[];
  /** Generator object record id -> the index of its suspended frame. */
  generatorFrames: Map<number, number>;
}

/** Generates every frame's variant and says where each is to be created. */
export function planFrames(frames: StoredFrame[], sources: SourceEntry[], records: HeapRecord[]): PlannedFrames {
  const scriptOf = new Map(sources.map((s) => [s.scriptId, s]));
  const variants = frames.map((frame, k) => {
    const script = scriptOf.get(frame.scriptId);
    if (script === undefined) throw new Error(`checkpoint corrupted: no source for frame ${k}`);
    return generateResumeVariant({
      source: script.source,
      location: frame.location,
      role: frame.role,
      nativeCallback: frame.nativeCallback,
      url: frame.url,
      functionName: frame.functionName,
      frameIndex: k,
    });
  });
  const placements = frames.map((frame, k): VariantPlacement => {
    const context = frame.context === null ? undefined : records[frame.context];
    // In its own context the frame's variables are the context's: declaring them again would split them.
    const shared = new Set(frame.own && context?.kind === K.Context ? context.names : []);
    return {
      context: frame.context,
      code: variants[k].code,
      anchors: variants[k].anchors,
      file: fileOf(scriptOf.get(frame.scriptId)!),
      declare: variants[k].functionBindings.map((b) => b.name).filter((name) => !shared.has(name)),
      at: { scriptId: frame.scriptId, ...frame.location },
    };
  });
  const generatorFrames = new Map<number, number>();
  frames.forEach((frame, k) => frame.generator !== undefined && generatorFrames.set(frame.generator, k));
  return { variants, placements, generatorFrames };
}

/** The name V8 shows for a frame's script, for its variant to be compiled under; none for a script without a URL. */
function fileOf(script: SourceEntry): string | undefined {
  return script.url ? stackName(script) : undefined;
}

/**
 * Returns the call that continues the program: every suspended async function goes back to its
 * `await` (and settles its own promise when it ends), then the paused stack runs on.
 */
export function resumeFrames(
  frames: StoredFrame[],
  planned: PlannedFrames,
  heap: Pick<
    RebuiltHeap,
    'variantWrappers' | 'objects' | 'pending' | 'generators' | 'runningCallbackReturned' | 'root'
  >,
): () => void {
  const { objects, pending } = heap;
  const running: Generator[] = [];
  // A frame run by a plain call: its caller's `$ferry.inner` calls it bound, adding no frame of ours to stacks.
  const direct: Array<() => unknown> = [];
  const inner = (k: number) => (frames[k].calledBy?.length ? undefined : direct[k]) ?? (() => runCalled(k));
  const calls = frames.map((frame, k) => {
    const data = objects[frame.data] as FrameData;
    const variant = planned.variants[k];
    let generator = heap.generators.get(k);
    const made = generator?.made ?? heap.variantWrappers[k]();
    made.assign(bindingValues(frame, variant, data));
    const fn = made.variant;
    nameAsOriginal(fn, frame.functionName, data.this);
    // A generator on the stack that the program does not hold is made here (nothing needed it before).
    if (!generator && variant.kind === 'generator') {
      const ferry: Record<string, unknown> = {};
      generator = { made, ferry, generator: fn.call(data.this, ferry) as Generator };
    }
    if (generator) running[k] = generator.generator;
    // An array loop goes on after its current element (capture/paused-stack.ts found where).
    const loops = data.loops.map((loop, i) => {
      const start = frame.loops?.[i];
      return start?.kind === 'array' ? arrayIteratorFrom(loop as unknown[], start.from ?? 0, start.iteration) : loop;
    });
    if (variant.needs.pendingNextLoop !== undefined) loops[variant.needs.pendingNextLoop] = running[k - 1];
    const $ferry: Record<string, unknown> = Object.assign(generator?.ferry ?? {}, {
      blocks: blockValues(frame, variant, data),
      loops,
      inner: k > 0 && frame.role === 'caller' ? inner(k - 1) : undefined,
      native: variant.needs.nativeIndexArgument !== undefined ? { index: data.nativeIndex } : undefined,
      newTarget: data.newTarget,
      home: data.home,
      superConstructor: data.superConstructor,
      awaited: data.awaited,
    });
    // A suspended generator already exists (rebuild made it); one next() takes it back to its yield,
    // or (an async generator at an await) runs it on, settling the request it was serving.
    if (generator && frame.role === 'suspended') {
      if (variant.priming === 'next-once') return () => generator.generator.next();
      if (variant.priming === 'serve-request') return () => void serve(generator.generator, data.promise);
      return () => undefined;
    }
    // On the stack, the caller's pending call was the generator's next(): resuming it is calling next().
    if (generator) return () => generator.generator.next();
    const settlers = pending.get(data.promise as Promise<unknown>);
    if (!settlers) return (direct[k] = fn.bind(data.this, $ferry));
    // An async frame settles the restored promise the original one had handed out (its caller gets that one).
    return () => {
      (fn.call(data.this, $ferry) as Promise<unknown>).then(settlers.resolve, settlers.reject);
      return data.promise;
    };
  });
  const serve = (generator: Generator, request: unknown) => {
    const settlers = pending.get(request as Promise<unknown>);
    if (!settlers)
      throw new Error("checkpoint corrupted: an awaiting async generator's request is not a pending promise");
    (generator.next() as unknown as Promise<unknown>).then(settlers.resolve, settlers.reject);
  };
  const run = (k: number): unknown => calls[k]();
  // A frame Node's code called returns into what that code does next (format/sections.ts RuntimeRole).
  const runCalled = (k: number): unknown =>
    (frames[k].calledBy ?? []).reduce<() => unknown>(
      (call, role) => () => playRole(role, objects[frames[k].data] as FrameData, call, heap, pending),
      () => run(k),
    )();
  return continueStack(frames, heap, { run, runCalled });
}

/**
 * Stacks name a function by its `name` (V8's GetDebugName): the original's, not `tick$resume`. An
 * anonymous one called on an object reads `Type.<anonymous>` as V8 writes it (an eval's anonymous
 * function would read `eval`).
 */
function nameAsOriginal(variant: ProgramFunction, name: string, receiver: unknown): void {
  const onObject = (typeof receiver === 'object' && receiver !== null) || typeof receiver === 'function';
  const shown = name === '' && onObject && receiver !== globalThis ? '<anonymous>' : name;
  Object.defineProperty(variant, 'name', { value: shown });
}

/**
 * The suspended frames go back to their awaits, then the stack goes on: first what was queued
 * behind it (ticks, microtasks, in order; an await about to go on is started in its place in the
 * microtask queue, where its await queues its continuation), then its outermost frame.
 */
function continueStack(
  frames: StoredFrame[],
  heap: Pick<RebuiltHeap, 'pending' | 'root'>,
  resumed: { run(k: number): unknown; runCalled(k: number): unknown },
): () => void {
  // The stack's frames come first in the section (innermost first), the suspended ones after.
  const stackDepth = frames.filter((f) => f.role !== 'suspended').length;
  const microtasks = (heap.root.microtasks ?? []) as QueuedMicrotask[];
  const startedInQueue = new Set(microtasks.flatMap((task) => (task.kind === 'await' ? [task.frame] : [])));
  const requeueMicrotasks = () => {
    for (const task of microtasks) {
      if (task.kind === 'await') resumed.run(task.frame);
      else queueMicrotask(microtaskOf(task, heap.pending));
    }
  };
  return () => {
    for (let k = stackDepth; k < frames.length; k++) if (!startedInQueue.has(k)) resumed.run(k);
    if (stackDepth === 0) return;
    const outermost = stackDepth - 1;
    const goOn = () => {
      // The ticks queued behind the paused code run before those it queues from here on.
      for (const [callback, args] of (heap.root.ticks ?? []) as Array<[ProgramFunction, unknown[] | null]>)
        process.nextTick(callback, ...(args ?? []));
      resumed.runCalled(outermost);
    };
    // A microtask goes on as one: before the ticks, ahead of the microtasks queued behind it.
    if (frames[outermost].calledBy?.includes('microtask')) {
      queueMicrotask(goOn);
      requeueMicrotasks();
    } else {
      requeueMicrotasks();
      goOn();
    }
  };
}

/** A queued microtask (not an await), as a function that does what V8's task would. */
function microtaskOf(task: Exclude<QueuedMicrotask, { kind: 'await' }>, pending: RebuiltHeap['pending']): () => void {
  switch (task.kind) {
    case 'callback':
      return task.callback as () => void;
    case 'thenable':
      return () => {
        const settlers = settlersOf(task.promise, pending);
        try {
          Reflect.apply(task.then, task.thenable, [settlers.resolve, settlers.reject]);
        } catch (error) {
          settlers.reject(error);
        }
      };
    case 'reaction':
      return () => {
        const { handler, argument, rejects, promise } = task;
        if (!handler) {
          if (promise) (rejects ? settlersOf(promise, pending).reject : settlersOf(promise, pending).resolve)(argument);
          return;
        }
        if (!promise) return void handler(argument);
        settleReaction(promise, () => handler(argument), pending);
      };
  }
}

function settlersOf(promise: unknown, pending: RebuiltHeap['pending']): PromiseSettlers {
  const settlers = pending.get(promise as Promise<unknown>);
  if (!settlers) throw new Error('checkpoint corrupted: a queued microtask settles a promise that is not pending');
  return settlers;
}

/** Runs a frame Node's code called (`call`), then what that code does once it returns; returns what that code returns. */
function playRole(
  role: RuntimeRole,
  data: FrameData,
  call: () => unknown,
  heap: Pick<RebuiltHeap, 'runningCallbackReturned'>,
  pending: RebuiltHeap['pending'],
): unknown {
  switch (role) {
    case 'listeners': {
      call();
      const { emitter, args, rest } = data.listeners!;
      for (const listener of rest) Reflect.apply(listener, emitter, args);
      return true;
    }
    case 'afterWrite': {
      call();
      const { fn, stream, count, cb } = data.afterWrite!;
      fn(stream, stream._writableState, count, cb);
      return undefined;
    }
    case 'timer':
    case 'immediate':
      try {
        return call();
      } finally {
        // Node's timer code does its part after the callback even when the callback threw.
        heap.runningCallbackReturned();
      }
    case 'microtask':
      return data.reaction === undefined ? call() : settleReaction(data.reaction, call, pending);
    case 'tail':
      call();
      return undefined;
    default:
      return call();
  }
}

/** A promise reaction's handler returns into its promise: resolved with the result, or rejected with what it threw. */
function settleReaction(promise: unknown, call: () => unknown, pending: RebuiltHeap['pending']): void {
  const settlers = settlersOf(promise, pending);
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    settlers.reject(error);
    return;
  }
  settlers.resolve(result);
}

/**
 * Values of the frame's function-level bindings: its local scope, then (for functions with
 * non-simple parameters, whose body has a scope of its own) its blocks from the outermost in.
 */
function bindingValues(frame: StoredFrame, variant: ResumeVariant, data: FrameData): Record<string, unknown> {
  const order = frame.scopes.map((s, i) => ({ type: s.type, values: data.scopes[i] }));
  const lookup = [...order.filter((s) => s.type === 'local'), ...order.filter((s) => s.type === 'block').reverse()];
  const values: Record<string, unknown> = Object.create(null);
  for (const binding of variant.functionBindings) {
    if (binding.kind === 'arguments') values[binding.name] = data.arguments;
    else if (binding.kind === 'self') values[binding.name] = data.self;
    else values[binding.name] = lookup.find((s) => s.values && binding.name in s.values)?.values[binding.name];
  }
  return values;
}

/**
 * `$ferry.blocks[i]`: the CDP block or catch scope starting earliest inside each slot's range.
 * A suspended function's scopes carry no location: there, the outermost unused block that holds
 * every variable of the slot (it may hold more: those the resumed statement declares itself).
 */
function blockValues(frame: StoredFrame, variant: ResumeVariant, data: FrameData): Array<Record<string, unknown>> {
  const used = new Set<number>();
  return variant.blocks.map((slot) => {
    let best = -1;
    frame.scopes.forEach((scope, i) => {
      if (used.has(i) || (scope.type !== 'block' && scope.type !== 'catch')) return;
      if (!scope.start) {
        const values = data.scopes[i] ?? {};
        if (slot.names.length > 0 && slot.names.every((name) => name in values)) best = i;
        return;
      }
      if (!within(scope.start, slot.start, slot.end)) return;
      if (best < 0 || compare(scope.start, frame.scopes[best].start!) < 0) best = i;
    });
    if (best < 0) return {};
    used.add(best);
    return data.scopes[best];
  });
}

const compare = (a: Location0, b: Location0) => a.line - b.line || a.column - b.column;
const within = (p: Location0, start: Location0, end: Location0) => compare(p, start) >= 0 && compare(p, end) <= 0;

/**
 * The array's own iterator (values() unless told), moved on to `from`: live as the program's was,
 * it sees what the loop's body adds to the array or removes from it after the restore.
 */
function arrayIteratorFrom(array: unknown[], from: number, iteration: ArrayIteration = 'values'): Iterator<unknown> {
  const iterator = ARRAY_ITERATORS[iteration].call(array);
  for (let k = 0; k < from; k++) iterator.next();
  return iterator;
}

const ARRAY_ITERATORS: Record<ArrayIteration, (this: unknown[]) => Iterator<unknown>> = {
  entries: Array.prototype.entries,
  keys: Array.prototype.keys,
  values: Array.prototype.values,
};
