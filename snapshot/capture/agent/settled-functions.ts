// Functions whose [[FunctionLocation]] and [[Scopes]] are read before the stop, while the program
// still runs. The inspector answers one function per call, 50–300 µs each, and a small program's
// libraries hold hundreds (rxjs 750, semver 460): most of such a stop. A [[Scopes]] read copies each
// variable's value, so it holds at the stop only while none of them can change: no variable the
// script ever assigns (ScriptFacts.mutableNames), none an `arguments` object aliases, none still
// undefined (a `let` not yet run, a `var` before its initialiser), in a script without a direct
// `eval` or a `with`, and in scopes of that script alone (no module's live imports, no other
// script's top-level `let`). Reads are kept for one capture only: between two checkpoints a
// debugger may assign any variable (a DAP setVariable, a console evaluate on a frame).
import type { ScriptFacts } from './closures';
import type { FunctionInternals } from './function-internals';
import type { Introspector } from './inspector';
import type { Registry } from './registry';
import type { ProgramFunction, ProgramValue } from '../../heap/program-value';
import { isProxy } from './walker';

export type SettledReads = WeakMap<object, FunctionInternals>;

/** The reads of the walk ahead last started, under the token of the command that asked for it. */
let kept: { token: string; reads: SettledReads } | undefined;

/**
 * The reads made ahead of this capture (none when they were made for another command); they are
 * handed over once, then forgotten.
 */
export function takeSettledReads(token: string | undefined): SettledReads | undefined {
  const taken = kept;
  kept = undefined;
  return taken && taken.token === token ? taken.reads : undefined;
}

/** Scope kinds a function's own script fully tells: its closures and blocks (the global object is live). */
const TOLD_BY_SCRIPT = new Set(['Closure', 'Block']);

/** A scope's kind: V8 describes a named function's closure as `Closure (name)`. */
function kindOf(description: string): string {
  const space = description.indexOf(' ');
  return space < 0 ? description : description.slice(0, space);
}

export function isSettled({ location, scopes }: FunctionInternals, facts: ScriptFacts | undefined): boolean {
  if (!location || !facts || facts.hidesBindings) return false;
  return scopes.every(
    ({ description, object }) =>
      description === 'Global' ||
      (description === 'Script' && Reflect.ownKeys(object).length === 0) ||
      (TOLD_BY_SCRIPT.has(kindOf(description)) && holdsFinalValues(object, facts)),
  );
}

function holdsFinalValues(scope: object, facts: ScriptFacts): boolean {
  for (const name of Object.keys(scope)) {
    if (facts.mutableNames.has(name) || facts.aliasedParameters.has(name)) return false;
    if ((scope as Record<string, unknown>)[name] === undefined) return false;
  }
  return true;
}

/** What the walk ahead needs from the agent. */
export interface AheadHost {
  introspector: Introspector;
  /** Node's objects: never walked into. */
  registry: Registry;
  isInternalScript(scriptId: string): boolean;
  facts(scriptId: string): ScriptFacts | undefined;
}

/** The walk ahead stops after this many objects: its cost stays bounded on a large heap. */
const MOST_OBJECTS_AHEAD = 100_000;
/**
 * The walk gives up once this many functions were read and under a quarter of their reads held:
 * closures over counters (a million-object heap's 10,000) would cost their reads twice.
 */
const JUDGED_AFTER = 256;
/** Arrays longer than this are not walked into ahead. */
const LONGEST_ARRAY_AHEAD = 10_000;
/** Functions read per inspector batch (up to 300 µs each; each batch compiles one function in the target). */
const READ_BATCH = 32;

/**
 * A walk from the program's modules and globals that reads each of its functions it meets, a
 * slice at a time. What it misses (functions reached only from timers or handles, ones made after
 * it) is read at the stop as before.
 */
export class SettledFunctionsWalk {
  private readonly seen = new WeakSet<object>();
  private readonly queue: object[] = [];
  private next = 0;
  private readonly functions: ProgramFunction[] = [];
  private readonly reads: SettledReads = new WeakMap();
  private readCount = 0;
  private settledCount = 0;

  constructor(token: string, roots: unknown[]) {
    kept = { token, reads: this.reads };
    for (const root of roots) this.enqueue(root);
  }

  /** Walks and reads until `until` (performance.now()); true once the walk is done. */
  slice(host: AheadHost, until: number): boolean {
    while (performance.now() < until) {
      if (this.readCount >= JUDGED_AFTER && this.settledCount * 4 < this.readCount) return true;
      if (this.functions.length >= READ_BATCH || (this.next === this.queue.length && this.functions.length > 0))
        this.readFunctions(host);
      else if (this.next < this.queue.length && this.next < MOST_OBJECTS_AHEAD)
        this.visit(host, this.queue[this.next++]);
      else return true;
    }
    return false;
  }

  private enqueue(value: unknown): void {
    if ((typeof value !== 'object' || value === null) && typeof value !== 'function') return;
    if (this.seen.has(value)) return;
    this.seen.add(value);
    this.queue.push(value);
  }

  /** An object's own values and accessors and its prototype; a function waits for its read. */
  private visit(host: AheadHost, object: object): void {
    if (host.registry.has(object) || isProxy(object) || ArrayBuffer.isView(object)) return;
    if (typeof object === 'function') this.functions.push(object as ProgramFunction);
    this.enqueue(Reflect.getPrototypeOf(object));
    // A long array's elements would be one long step: the stop reads what they hold.
    if (Array.isArray(object) && object.length > LONGEST_ARRAY_AHEAD) return;
    for (const key of Reflect.ownKeys(object)) {
      let descriptor: PropertyDescriptor | undefined;
      try {
        descriptor = Reflect.getOwnPropertyDescriptor(object, key); // a module namespace's binding in its dead zone throws
      } catch {
        continue;
      }
      if (!descriptor) continue;
      this.enqueue(descriptor.value);
      this.enqueue(descriptor.get);
      this.enqueue(descriptor.set);
    }
  }

  private readFunctions(host: AheadHost): void {
    const batch = this.functions.splice(0, READ_BATCH);
    host.introspector.functionInternals(batch).forEach((read, i) => {
      if (!read.location || host.isInternalScript(read.location.scriptId)) return;
      this.readCount++;
      if (isSettled(read, host.facts(read.location.scriptId))) {
        this.reads.set(batch[i], read);
        this.settledCount++;
      }
      for (const { description, object } of read.scopes)
        if (description !== 'Global')
          for (const name of Object.keys(object)) this.enqueue((object as ProgramValue)[name]);
    });
  }
}
