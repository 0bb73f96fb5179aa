// Checkpoint Here, inside the target: the paused frames' values become roots of the walk, and
// once every function's closure context is known, each frame is placed in the context its
// function closes over, and in its own function context when closures made in the frame share it
// (so that, after the restore, the resumed frame and those closures see the same variables).
import type { ClosureContexts, ContextStandIn, Scope } from './closures';
import { readableScope } from './scope-objects';
import type { SuspendedLoop } from './suspended-loops';
import type { FramePlacement, RuntimeRole } from '../../format/sections';
import type { ProgramFunction } from '../../heap/program-value';

export interface FrameScopeInput {
  /** CDP scope type: local, block, catch (carried as values) or closure, script (the chain). */
  type: string;
  name: string;
  /** Index into the values handed to the agent. */
  value: number;
}

/** One user frame, innermost first; numbers index the values handed to the agent. */
export interface FrameInput {
  scopes: FrameScopeInput[];
  thisValue: number;
  arguments?: number;
  self?: number;
  newTarget?: number;
  /** A frame using `super`: its function's location, to find where it is defined. */
  owner?: {
    home: boolean;
    superConstructor: boolean;
    functionLocation: { scriptId: string; lineNumber: number; columnNumber?: number };
  };
  loops: number[];
  nativeIndex?: number;
  /** A suspended async function: the promise it awaits, and its own promise. */
  awaited?: number;
  promise?: number;
  /** An async function on the paused stack: where its function starts (to find the promise it settles). */
  runningAsync?: { scriptId: string; lineNumber: number; columnNumber?: number };
  /** A suspended generator: the heap record of the generator object the frame belongs to. */
  generator?: number;
  /** A module's body at a top-level await: its local scope is the module's (the context its functions share). */
  moduleBody?: boolean;
  /** A generator running on the paused stack: where its function starts (to match its object). */
  runningGenerator?: { scriptId: string; lineNumber: number; columnNumber?: number };
  /** The outermost frame: the part Node's frames under it play (capture/runtime-frames.ts), the event loop's last. */
  calledBy?: RuntimeRole[];
  /** A frame V8's microtask queue runs (capture/runtime-frames.ts): where its function starts. */
  microtask?: { scriptId: string; lineNumber: number; columnNumber?: number };
  /** The promise the promise reaction this frame runs settles with its result. */
  reaction?: number;
  /** A listener run by emit() (capture/runtime-frames.ts): emit()'s own variables. */
  listeners?: { emitter: number; args: number; handler: number; cloned?: number; index?: number };
  /** A write callback run by Node's afterWrite: its function and arguments (capture/runtime-frames.ts). */
  afterWrite?: { fn: number; stream: number; count: number; cb: number };
}

/** A suspended async function, as the agent found it (the capture side fills in the url). */
export interface SuspendedSite {
  scriptId: string;
  functionName: string;
  location: { line: number; column: number };
  scopes: Array<{ type: string }>;
  /** The for-of loops it is inside, outermost first (their values are the frame's `loops`), or why not. */
  loops: Array<Omit<SuspendedLoop, 'value'>> | string;
  /** An async generator suspended at an `await` (serving a next() request) rather than at a `yield`. */
  awaiting?: boolean;
  /** Its await already settled with a value the heap snapshot does not show (carried only if the await's value is unused). */
  awaitedUnread?: string;
  /** A module's body at a top-level await: the URL of the program's entry module, which alone no other module waits on. */
  entryModule?: string;
}

export interface FrameHost {
  /** Where a function's code is ([[FunctionLocation]]). */
  locationOf(fn: ProgramFunction): { scriptId: string; lineNumber: number; columnNumber: number } | undefined;
  /** Internal slots of an object ([[GeneratorLocation]], [[Scopes]], ...). */
  internals(value: object): Record<string, unknown>;
  /** The promise an async function object settles. */
  promiseOf(asyncFunction: object): unknown;
  /** What an async generator awaits and the request it serves (see PendingPromises.awaitOfGenerator). */
  awaitOfGenerator(generator: object): { awaited: object; request: object } | string | undefined;
  /**
   * An async arrow function's lexical `this` (its receiver is not it), read from its contexts;
   * undefined for other functions and arrows that do not read `this`; a string when it cannot be found.
   */
  lexicalThisOf(fn: ProgramFunction): { value: unknown } | string | undefined;
  /** The URL of the program's entry module, as Node's loader made it (argv[1], resolved and real). */
  entryModuleUrl(): string;
  /** The running async function objects whose function starts at `location`. */
  runningAsyncFunctions(location: NonNullable<FrameInput['runningAsync']>): object[];
  /** The for-of loops a suspended function is inside (see suspended-loops.ts). */
  loopsOf(suspended: object, source: string, scopes: object[]): SuspendedLoop[] | string;
  /** Whether an EventEmitter catches its listeners' rejected promises (captureRejections). */
  capturesRejections(emitter: object): boolean;
  root(name: string, value: object): number;
  id(value: unknown, from: number, key: string): number;
  refuse(id: number, reason: string): void;
}

const CARRIED = new Set(['local', 'block', 'catch']);

/** V8's description of a function's scope as its closures list it, for a frame's scope. */
function describeScope(type: string, name: string): string {
  const kind =
    type === 'script'
      ? 'Script'
      : type === 'module'
        ? 'Module'
        : type === 'block'
          ? 'Block'
          : type === 'catch'
            ? 'Catch'
            : 'Closure';
  return name && kind !== 'Script' && kind !== 'Module' ? `${kind} (${name})` : kind;
}

/** A [[Scopes]] entry's description ("Local (main)", "Block", "Closure (f)") as a CDP scope type and name. */
function scopeOf(description: string): { type: string; name: string } {
  const match = /^(\w[\w ]*?)(?: \((.*)\))?$/.exec(description);
  const kind = match?.[1] ?? description;
  const type =
    (
      {
        Local: 'local',
        Closure: 'closure',
        Block: 'block',
        Catch: 'catch',
        Script: 'script',
        Module: 'module',
        Global: 'global',
      } as Record<string, string>
    )[kind] ?? kind.toLowerCase();
  return { type, name: match?.[2] ?? '' };
}

export class PausedFrames {
  private readonly dataIds: number[] = [];
  private contexts: Array<{ context: ContextStandIn | null; own: boolean }> = [];
  /** The suspended async functions found in the walk, after the stack's frames. */
  readonly suspended: SuspendedSite[] = [];
  /** Each suspended site's frame input (an index into the inputs). */
  private readonly suspendedInputs: number[] = [];

  constructor(
    private readonly inputs: FrameInput[],
    private readonly values: unknown[],
    private readonly host: FrameHost,
  ) {
    for (const input of inputs)
      for (const { value } of input.scopes) values[value] = readableScope(values[value] as object);
  }

  /** Changes whenever a frame is added (contexts must be placed again). */
  count(): number {
    return this.inputs.length;
  }

  /** Each paused frame's values as one object, a root of the walk. */
  addRoots(): void {
    this.inputs.forEach((input, k) => this.addRoot(input, k));
  }

  /**
   * An async function suspended at an `await` on `awaited`, or a generator suspended at a `yield`
   * (written as record `generator`): its frame, from the function object's slots. An async
   * generator may be at an `await` instead: then its frame also has the promise it awaits, and as
   * its own promise that of the next() request it serves.
   */
  addSuspended(suspended: object, waiting: { awaited: object; unread?: string } | { generator: number }): number {
    const slots = this.host.internals(suspended);
    const awaitOf =
      'generator' in waiting && Object.prototype.toString.call(suspended) === '[object AsyncGenerator]'
        ? this.host.awaitOfGenerator(suspended)
        : undefined;
    const location = slots['[[GeneratorLocation]]'] as { scriptId: string; lineNumber: number; columnNumber: number };
    const fn = slots['[[GeneratorFunction]]'] as ProgramFunction;
    const add = (value: unknown) => this.values.push(value) - 1;
    const scopes = Array.from(slots['[[Scopes]]'] as ArrayLike<{ description: string; object: object }>)
      .map((s) => ({ ...scopeOf(s.description), object: s.object }))
      .filter((s) => s.type !== 'global');
    // A module's body suspended at a top-level await (no function scope, maybe blocks; its code
    // starts the file): its own scope is the module's, shared with the module's functions.
    const start = this.host.locationOf(fn);
    const moduleScope =
      scopes.some((s) => s.type === 'local') || start?.lineNumber !== 0 || start.columnNumber !== 0
        ? undefined
        : scopes.find((s) => s.type === 'module');
    if (moduleScope) moduleScope.type = 'local';
    const moduleBody = moduleScope !== undefined;
    const carried = scopes.filter((s) => CARRIED.has(s.type));
    const loops = this.host.loopsOf(
      suspended,
      Function.prototype.toString.call(fn),
      carried.map((s) => s.object),
    );
    const lexicalThis = this.host.lexicalThisOf(fn);
    const input: FrameInput = {
      scopes: scopes.map((s) => ({ type: s.type, name: s.name, value: add(s.object) })),
      thisValue: add(typeof lexicalThis === 'object' ? lexicalThis.value : slots['[[GeneratorReceiver]]']),
      ...(moduleBody ? { moduleBody } : {}),
      loops: typeof loops === 'string' ? [] : loops.map((loop) => add(loop.value)),
      ...('awaited' in waiting
        ? { awaited: add(waiting.awaited), promise: add(moduleBody ? undefined : this.host.promiseOf(suspended)) }
        : { generator: waiting.generator }),
      ...(typeof awaitOf === 'object' ? { awaited: add(awaitOf.awaited), promise: add(awaitOf.request) } : {}),
    };
    this.inputs.push(input);
    this.suspendedInputs.push(this.inputs.length - 1);
    this.suspended.push({
      scriptId: location.scriptId,
      functionName: fn.name,
      location: { line: location.lineNumber, column: location.columnNumber },
      scopes: carried.map((s) => ({ type: s.type })),
      loops:
        typeof loops === 'string'
          ? loops
          : loops.map(({ kind, positions, indexes, parts }) => ({
              kind,
              ...(positions ? { positions } : {}),
              ...(indexes ? { indexes } : {}),
              ...(parts ? { parts } : {}),
            })),
      ...(awaitOf !== undefined ? { awaiting: true } : {}),
      ...('unread' in waiting && waiting.unread ? { awaitedUnread: waiting.unread } : {}),
      ...(moduleBody ? { entryModule: this.host.entryModuleUrl() } : {}),
    });
    const id = this.addRoot(input, this.inputs.length - 1);
    if (typeof awaitOf === 'string') this.host.refuse(id, awaitOf);
    if (typeof lexicalThis === 'string') this.host.refuse(id, lexicalThis);
    const odd = scopes.find(
      (s) => !CARRIED.has(s.type) && s.type !== 'closure' && s.type !== 'script' && s.type !== 'module',
    );
    if (odd)
      this.host.refuse(
        id,
        `${fn.name || '(anonymous)'} is suspended inside a \`${odd.type}\` scope, which cannot be carried`,
      );
    return this.inputs.length - 1;
  }

  /**
   * Marks each suspended await of a promise whose value a heap snapshot did not show whole: the
   * controller carries it only where the await's value goes unused. After the walk.
   */
  markUnseenAwaits(unseenValueOf: (awaited: unknown) => string | undefined): void {
    this.suspended.forEach((site, i) => {
      const { awaited } = this.inputs[this.suspendedInputs[i]];
      const unseen = awaited === undefined ? undefined : unseenValueOf(this.values[awaited]);
      if (unseen !== undefined) site.awaitedUnread ??= unseen;
    });
  }

  /**
   * A generator object found running (written as record `id`): it belongs to the stack frame of
   * its function. False when no frame (or more than one) can be its own.
   */
  matchRunningGenerator(generator: object, id: number): boolean {
    const fn = this.host.internals(generator)['[[GeneratorFunction]]'];
    const at = typeof fn === 'function' ? this.host.locationOf(fn) : undefined;
    const frames = this.inputs.filter(
      (input) =>
        input.runningGenerator &&
        at &&
        input.runningGenerator.scriptId === at.scriptId &&
        input.runningGenerator.lineNumber === at.lineNumber &&
        (input.runningGenerator.columnNumber ?? 0) === at.columnNumber &&
        input.generator === undefined,
    );
    if (frames.length !== 1) return false;
    frames[0].generator = id;
    return true;
  }

  private addRoot(input: FrameInput, k: number): number {
    const value = (i: number | undefined) => (i === undefined ? undefined : this.values[i]);
    const owner = input.owner ? this.findOwner(input.owner, value(input.thisValue), value(input.newTarget)) : undefined;
    const data = {
      scopes: input.scopes.filter((s) => CARRIED.has(s.type)).map((s) => value(s.value)),
      this: value(input.thisValue),
      arguments: value(input.arguments),
      self: value(input.self),
      newTarget: value(input.newTarget),
      home: owner?.home,
      superConstructor: owner?.superConstructor,
      loops: input.loops.map(value),
      nativeIndex: value(input.nativeIndex),
      awaited: value(input.awaited),
      promise: value(input.promise),
      listeners: input.listeners ? this.restOfEmit(input.listeners, value) : undefined,
      reaction: value(input.reaction),
      afterWrite: input.afterWrite && {
        fn: value(input.afterWrite.fn),
        stream: value(input.afterWrite.stream),
        count: value(input.afterWrite.count),
        cb: value(input.afterWrite.cb),
      },
    };
    const emitRefusal = typeof data.listeners === 'string' ? data.listeners : undefined;
    if (emitRefusal) data.listeners = undefined;
    let running: object[] = [];
    if (input.runningAsync) {
      running = this.host.runningAsyncFunctions(input.runningAsync);
      if (running.length === 1) data.promise = this.host.promiseOf(running[0]);
    }
    const id = this.host.root(`frame #${k}`, data);
    this.dataIds.push(id);
    if (emitRefusal) this.host.refuse(id, emitRefusal);
    if (input.runningAsync && running.length !== 1)
      this.host.refuse(
        id,
        running.length === 0
          ? 'the promise of this async function could not be found'
          : 'this async function runs in several frames at once (recursion): which promise each settles cannot be told',
      );
    if (input.owner && !owner)
      this.host.refuse(
        id,
        'the class or object that defines this method (where `super` looks) could not be found from `this` or new.target',
      );
    return id;
  }

  /**
   * What emit() does once the running listener returns: it calls the listeners after it (its clone
   * of the list, taken when it began) with the same arguments. Its catching of a listener's
   * rejected promise (captureRejections) is refused.
   */
  private restOfEmit(
    listeners: NonNullable<FrameInput['listeners']>,
    value: (i: number | undefined) => unknown,
  ): { emitter: unknown; args: unknown; rest: unknown[] } | string {
    const emitter = value(listeners.emitter) as object;
    if (this.host.capturesRejections(emitter))
      return 'the emitter catches the promises its listeners return (captureRejections): not carried yet';
    // The array emit()'s loop runs over: its clone of the listeners, else (Node 24) `handler` itself.
    const looped = value(listeners.cloned) ?? value(listeners.handler);
    const index = value(listeners.index) as number | undefined;
    const rest = Array.isArray(looped) && index !== undefined ? (looped as ProgramFunction[]).slice(index + 1) : [];
    return { emitter, args: value(listeners.args), rest };
  }

  /**
   * A method's home object is the object on `this`'s prototype chain (or on new.target's, for a
   * constructor) that holds the frame's function; a derived constructor's parent is its class's
   * prototype.
   */
  private findOwner(
    owner: NonNullable<FrameInput['owner']>,
    self: unknown,
    newTarget: unknown,
  ): { home?: object; superConstructor?: unknown } | undefined {
    const at = owner.functionLocation;
    const isFrameFunction = (fn: unknown) => {
      if (typeof fn !== 'function') return false;
      const location = this.host.locationOf(fn);
      return (
        !!location &&
        location.scriptId === at.scriptId &&
        location.lineNumber === at.lineNumber &&
        location.columnNumber === (at.columnNumber ?? 0)
      );
    };
    for (let c = newTarget; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
      if (isFrameFunction(c))
        return { home: (c as ProgramFunction).prototype, superConstructor: Object.getPrototypeOf(c) };
    }
    if (owner.superConstructor) return undefined;
    for (let p = self; p !== null && (typeof p === 'object' || typeof p === 'function'); p = Object.getPrototypeOf(p)) {
      for (const key of Reflect.ownKeys(p as object)) {
        const d = Reflect.getOwnPropertyDescriptor(p as object, key)!;
        if ([d.value, d.get, d.set].some(isFrameFunction)) return { home: p as object };
      }
    }
    return undefined;
  }

  /** Runs once every function's context is known (and again if a heap snapshot changed them). */
  placeInContexts(closures: ClosureContexts): void {
    this.contexts = this.inputs.map((input, k) => {
      const from = this.dataIds[k];
      const scope = (s: FrameScopeInput): Scope => ({
        description: describeScope(s.type, s.name),
        object: this.values[s.value] as object,
      });
      const chain = input.scopes.filter((s) => !CARRIED.has(s.type)).map(scope);
      const closure = closures.frameClosure(chain, from);
      if (closure === undefined) {
        this.host.refuse(
          from,
          'the closure context of this frame cannot be told apart from another with the same values',
        );
        return { context: null, own: false };
      }
      const local = input.scopes.find((s) => s.type === 'local');
      const ownScope = local && { ...scope(local), ...(input.moduleBody ? { description: 'Module' } : {}) };
      const own = ownScope ? closures.frameOwnContext(ownScope, closure) : null;
      if (own === undefined) {
        this.host.refuse(
          from,
          "closures made in this frame share a context that cannot be told apart from another frame's (recursion that left equal values)",
        );
        return { context: null, own: false };
      }
      const context = own ?? closure;
      if (context) this.host.id(context, from, '[[Context]]');
      return { context, own: own !== null };
    });
  }

  placements(idOf: (value: unknown) => number | undefined): FramePlacement[] {
    return this.contexts.map(({ context, own }, k) => ({
      data: this.dataIds[k],
      context: context ? (idOf(context) ?? null) : null,
      own,
      generator: this.inputs[k].generator,
    }));
  }
}
