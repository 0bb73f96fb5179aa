// Node's in-memory streams (Readable, Writable, Duplex, Transform, PassThrough and the program's
// subclasses of them) are carried as data: the stream and its _readableState/_writableState are
// ordinary objects, keyed partly by symbols private to Node's stream modules, and holding a few
// functions of Node's own (writable.js's `nop`, Transform's `prefinish` listener). Those symbols
// and functions have no public path, so both sides find them on probe streams made the same way:
// `probe:<where>.<name>` names the same one at capture and at restore (see builtins.ts).
//
// What is per stream and made by Node's code is made again by Node's code: the stream itself is
// constructed (its bound `onwrite` callback), and a pipe's listeners come from calling pipe() again.
import type { ProgramFunction, ProgramValue } from './program-value';

/** The stream classes whose instances are carried; the first registered prototype of a stream's chain must be one of theirs. */
export const CORE_STREAM_CLASSES = ['PassThrough', 'Transform', 'Duplex', 'Readable', 'Writable'] as const;

/**
 * The symbols and functions of Node's stream modules that no public path names, as
 * [`probe:` path, value] pairs. Deterministic and side-effect free (no ticks, no listeners fire):
 * the probes are made in the program at capture and in the restored process.
 */
export function streamProbes(stream: ProgramValue): Array<[string, unknown]> {
  const found: Array<[string, unknown]> = [];
  const ownSymbols = (where: string, object: object) => {
    for (const key of Object.getOwnPropertySymbols(object))
      found.push([`probe:${where}.${key.description ?? ''}`, key]);
  };
  for (const name of CORE_STREAM_CLASSES) {
    const probe = new stream[name]();
    ownSymbols(name, probe);
    // Listeners the constructor adds (Transform's `prefinish`).
    for (const event of Reflect.ownKeys(probe._events)) {
      const listeners = probe.rawListeners(event) as ProgramFunction[];
      listeners.forEach((fn, i) => found.push([`probe:${name}.on.${String(event)}.${i}`, fn]));
    }
  }
  // A state's optional fields live under symbols made only once used: every setter of the
  // state's accessors is used once on a probe state (they only store the value and set a bit).
  const states: Array<[string, object]> = [
    ['ReadableState', new stream.Readable()._readableState],
    ['WritableState', pendingEnd(stream)._writableState],
  ];
  for (const [where, state] of states) {
    // writecb, read before any write is pending, is writable.js's `nop` (compared by identity there).
    if (where === 'WritableState') found.push([`probe:${where}.nop`, new stream.Writable()._writableState.writecb]);
    for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(Object.getPrototypeOf(state)))) {
      // A value unlike any default: an encoding other than utf8, an object for the rest.
      if (descriptor.set) descriptor.set.call(state, /encoding/i.test(key) ? 'latin1' : {});
    }
    ownSymbols(where, state);
  }
  return found;
}

/** The path both sides name writable.js's `afterWrite` by (capture/runtime-frames.ts plays it again). */
export const AFTER_WRITE_PATH = 'probe:WritableState.afterWrite';

/**
 * writable.js's `afterWrite`, what a completed write returns into (its callbacks, then 'finish'),
 * at restore. A write that completes at once while the probe waits to drain makes Node queue it
 * with process.nextTick, which is held for that one call so that nothing is queued: the first write
 * is left pending (the probe is full), the second is buffered, and completing the first writes the
 * second, which completes at once. (Not in a target stopped in the debugger, where swapping
 * process.nextTick crashed Node 20: the capture takes it from the paused frame of it.)
 */
export function queuedAfterWrite(stream: {
  Writable: new (options: object) => { write(chunk: string): boolean };
}): unknown {
  let first: (() => void) | undefined;
  const probe = new stream.Writable({
    highWaterMark: 1,
    write: (_chunk: unknown, _encoding: unknown, done: () => void) => {
      if (first === undefined) first = done;
      else done();
    },
  });
  probe.write('a');
  probe.write('b');
  const nextTick = process.nextTick;
  let queued: { name: string } | undefined;
  process.nextTick = ((fn: { name: string }) => void (queued ??= fn)) as typeof process.nextTick;
  try {
    first?.();
  } finally {
    process.nextTick = nextTick;
  }
  return queued?.name === 'afterWrite' ? queued : undefined;
}

/** A writable with a write that never completes and end(callback) waiting for it: its state has the on-finished list. */
function pendingEnd(stream: ProgramValue): ProgramValue {
  const writable = new stream.Writable({ write() {} });
  writable.write('probe');
  writable.end(() => undefined);
  return writable;
}

/** The names pipe() gives the listeners it adds to its source and destination. */
export const PIPE_LISTENER_NAMES = ['onunpipe', 'onend', 'unpipe', 'ondata', 'onerror', 'onclose', 'onfinish'];

const pipes = new WeakMap<object, Map<object, Map<string, ProgramFunction>>>();

/**
 * The listener `name` of the pipe from `src` to `dest`, made by calling pipe() again (once per
 * pair) on the just-constructed streams, before their captured state is put in: the stream is
 * marked flowing first so that pipe() does not schedule a resume, and nothing is listening yet
 * to the 'pipe' event it emits. The listeners it adds go with the fresh `_events`, which the
 * captured ones replace; the captured ones hold these functions where the original held theirs.
 */
export function pipeListener(src: ProgramValue, dest: ProgramValue, doEnd: boolean, name: string): ProgramFunction {
  let byDest = pipes.get(src);
  if (!byDest) pipes.set(src, (byDest = new Map()));
  let listeners = byDest.get(dest);
  if (!listeners) {
    const before = new Set([...allListeners(src), ...allListeners(dest)]);
    src._readableState.flowing = true;
    src.pipe(dest, { end: doEnd });
    listeners = new Map();
    for (const raw of [...allListeners(src), ...allListeners(dest)]) {
      if (before.has(raw)) continue;
      const fn = typeof (raw as ProgramValue).listener === 'function' ? (raw as ProgramValue).listener : raw;
      listeners.set(fn.name, fn);
    }
    byDest.set(dest, listeners);
  }
  const listener = listeners.get(name);
  if (!listener)
    throw new Error(
      `checkpoint does not match this Node runtime (${process.version}): pipe() made no '${name}' listener`,
    );
  return listener;
}

function allListeners(emitter: ProgramValue): ProgramFunction[] {
  return Reflect.ownKeys(emitter._events ?? {}).flatMap((event) => emitter.rawListeners(event) as ProgramFunction[]);
}
