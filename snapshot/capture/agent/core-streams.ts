// Node's in-memory streams, capture side (the plan is in snapshot/heap/node-streams.ts): which
// objects are such streams, and the per-stream functions Node made for them, each named by the
// public call that makes it again.
import { CORE_STREAM_CLASSES } from '../../heap/node-streams';
import { replicaPath } from '../../heap/builtins';
import type { FactoryCall } from './node-factories';
import type { Registry } from './registry';
import { isStreamOf } from './handles';
import type { ProgramFunction, ProgramValue } from '../../heap/program-value';

type Scope = Record<string, ProgramValue>;

export interface CoreStreams {
  /** For an instance of a core stream class (or of the program's subclass of one): its Node class, or why it cannot be carried. */
  classOf(value: object): ProgramFunction | string | undefined;
  /**
   * A listener pipe() made: re-made by pipe() at restore. `pipeScope` gives the scope of pipe()
   * a function of Node's closes over (with `src` and `dest`), if any.
   */
  pipeListener(
    fn: ProgramFunction,
    pipeScope: (fn: ProgramFunction) => Scope | undefined,
  ): FactoryCall | string | undefined;
  /** A stream's bound write callback (`_writableState.onwrite`): the restored stream's own. */
  onwrite(fn: ProgramFunction, boundArgs: unknown[]): FactoryCall | undefined;
}

export function coreStreams(
  stream: ProgramValue,
  registry: Registry,
  writeStream: ProgramFunction | undefined,
): CoreStreams {
  const classes = new Map<object, ProgramFunction>(
    CORE_STREAM_CLASSES.map((name) => [stream[name].prototype, stream[name]]),
  );
  const classByPrototype = new Map<object, ProgramFunction | null>();
  const classOfPrototype = (proto: object | null): ProgramFunction | null => {
    if (proto === null) return null;
    let found = classByPrototype.get(proto);
    if (found === undefined) {
      // The first prototype Node made decides: a zlib or net stream is not an in-memory one.
      found = classes.get(proto) ?? (registry.has(proto) ? null : classOfPrototype(Object.getPrototypeOf(proto)));
      classByPrototype.set(proto, found);
    }
    return found;
  };
  const classOf = (value: object): ProgramFunction | string | undefined => {
    if (
      typeof value === 'function' ||
      !(Object.hasOwn(value, '_readableState') || Object.hasOwn(value, '_writableState'))
    )
      return undefined;
    const cls = classOfPrototype(Object.getPrototypeOf(value));
    if (!cls) return undefined;
    const states = [(value as ProgramValue)._readableState, (value as ProgramValue)._writableState].filter(Boolean);
    if (states.some((state) => !state.constructed)) return `a ${cls.name} stream still running its construct() step`;
    return cls;
  };
  /** Ends a pipe can be re-made on before the heap is filled: in-memory streams, fs write streams, stdout and stderr. */
  const restorableFirst = (value: unknown) =>
    typeof value === 'object' &&
    value !== null &&
    (typeof classOf(value) === 'function' || isStreamOf(value, writeStream) || registry.has(value));

  return {
    classOf,
    pipeListener(fn, pipeScope) {
      const scope = pipeScope(fn);
      if (!scope) return undefined;
      const { src, dest } = scope;
      if (scope.cleanedUp) return 'a listener of a pipe that was taken apart';
      if (scope.ondrain !== undefined)
        return 'a pipe waiting for its destination to drain (backpressure): not carried yet';
      if (typeof classOf(src) !== 'function')
        return 'a pipe from a stream that is not an in-memory one: not carried yet';
      if (!restorableFirst(dest)) return 'a pipe into an object that is not a Node stream: not carried yet';
      if ((src._readableState.pipes as unknown[]).filter((d) => d === dest).length !== 1)
        return 'a stream piped twice into the same destination: not carried yet';
      return { path: replicaPath('pipeListener'), args: [src, dest, endsDestination(src, dest, pipeScope), fn.name] };
    },
    onwrite(fn, boundArgs) {
      const owner = boundArgs[0] as ProgramValue;
      return owner?._writableState?.onwrite === fn ? { path: replicaPath('onwriteOf'), args: [owner] } : undefined;
    },
  };
}

/** pipe(dest, { end }) as it was called: false when the source's 'end' runs the pipe's `unpipe` rather than `onend`. */
function endsDestination(
  src: ProgramValue,
  dest: unknown,
  pipeScope: (fn: ProgramFunction) => Scope | undefined,
): boolean {
  return !(src.rawListeners('end') as ProgramValue[]).some((raw) => {
    const fn = raw.listener ?? raw;
    return fn.name === 'unpipe' && pipeScope(fn)?.dest === dest;
  });
}
