// Closure contexts. Each user function's [[Scopes]] (read in batches through the inspector) become
// context stand-ins shared between functions. Most of the time values alone tell contexts apart:
// closures of one call see the same values. When they cannot (two calls left equal values in a
// variable that is reassigned somewhere, outside a module's top level, and no function or class
// only its own scope can have made tells them apart) or when an arrow function reads a lexical
// `this` the scope view omits, one heap snapshot settles it for every function.
// What it tells is kept for the next checkpoint of the process (kept.ts): while every function then
// is one the last snapshot saw, their contexts are told apart by what it told, without another.
import { FACTORY_LOCALS, HOME_OBJECT_VARIABLE, RESTORE_HELPER_PARAMETERS } from '../../heap/tags';
import { ByteWriter } from '../../heap/writer';
import type { Introspector } from './inspector';
import { contextsKept, keepContexts, keptContexts, newContextSnapshot } from './kept';
import type { HeapGraph, HeapGraphSource } from './heap-graph';
import type { ProgramFunction, ProgramValue } from '../../heap/program-value';
import { spans, type Span } from './text-spans';

export interface Scope {
  description: string;
  object: object;
}

export interface ScriptFacts {
  moduleNames: Set<string>;
  mutableNames: Set<string>;
  /** The spans of the scopes declaring each variable a closure assigns (undefined: every mutable one may be). */
  closureAssigned: Map<string, Span[]> | undefined;
  freshValueNames: Set<string>;
  aliasedParameters: Set<string>;
  hidesBindings: boolean;
  lexicalThisArrows: Set<string>;
  superMethods: Set<string>;
  evaluatedClassKeys: Map<string, string[]>;
  dynamicImport: boolean;
}

const RESTORE_HELPERS: ReadonlySet<string> = new Set(RESTORE_HELPER_PARAMETERS);
const GENERATED_LOCALS: ReadonlySet<string> = new Set(Object.values(FACTORY_LOCALS));

/**
 * A function's or frame's scopes as the program has them (innermost first). Left out: the global
 * scope (built-ins) and, in a restored program, what the restore runtime's generated code adds:
 * the scope of its helpers (they would carry the whole runtime along) and its factories' locals.
 */
function programScopes(scopes: Scope[]): Scope[] {
  return scopes.filter((scope) => scope.description !== 'Global' && !isRuntimeScope(scope)).map(withoutGeneratedLocals);
}

/** Checked by the few helper names first: a program's scope (often hundreds of names) is never listed. */
function isRuntimeScope(scope: Scope): boolean {
  if (scope.description !== 'Closure' || !RESTORE_HELPER_PARAMETERS.some((name) => Object.hasOwn(scope.object, name)))
    return false;
  // `arguments` shows when an eval in the generated code makes every variable context-allocated.
  return Object.keys(scope.object).every((name) => RESTORE_HELPERS.has(name) || name === 'arguments');
}

function withoutGeneratedLocals(scope: Scope): Scope {
  if (!Object.values(FACTORY_LOCALS).some((name) => Object.hasOwn(scope.object, name))) return scope;
  const object: Record<string, unknown> = {};
  for (const name of Object.keys(scope.object))
    if (!GENERATED_LOCALS.has(name)) object[name] = (scope.object as Record<string, unknown>)[name];
  return { description: scope.description, object };
}

export interface ContextStandIn {
  description: string;
  parent: ContextStandIn | null;
  variables: Record<string, unknown>;
}

interface FunctionEntry {
  fn: ProgramFunction;
  id: number;
  site: number;
  scopes: Scope[];
  facts: ScriptFacts | undefined;
  /** Where the function starts: inside every scope it closes over. */
  location: { lineNumber: number; columnNumber: number };
  lexicalThis: boolean;
  /** An object-literal method using `super`: its home object is read from its context (heap snapshot). */
  superHome: boolean;
  context: ContextStandIn | null;
}

/** What the closure layer needs from the walker. */
export interface ClosureHost {
  id(value: unknown, from: number, key: string | symbol): number;
  value(value: unknown, from: number, key: string | symbol, out: ByteWriter): void;
  refuse(id: number, reason: string): void;
  warn(message: string): void;
  /** Whether a value is one of the runtime's own (a restore has it before any program state). */
  isBuiltin(value: unknown): boolean;
  /** How many runs of program functions are live: frames on the paused stack, suspended async functions and generators. */
  liveActivations(): number;
}

const EQUAL_VALUES = 'closures whose contexts equal values cannot tell apart';

export const contextObjects = new WeakSet<object>();

export class ClosureContexts {
  private readonly entries: FunctionEntry[] = [];
  private readonly byKey = new Map<string, { ctx: ContextStandIn; fn: ProgramFunction }>();
  private readonly standIns: ContextStandIn[] = [];
  /** Stand-ins a paused frame made for a context no function walked so far closes over. */
  private readonly frameMade = new Set<ContextStandIn>();
  /** The heap snapshot node of each stand-in made by identity. */
  private readonly nodeOf = new Map<ContextStandIn, number>();
  /** Why contexts must be told apart by the heap snapshot, once something needs it. */
  private needsIdentity: string | undefined;
  /**
   * Contexts of equal values whose variables only their own function's code assigns: they cannot
   * change once no run of a function is live (no frame on the paused stack, no suspended async
   * function or generator), and are then told apart by nothing the program can do.
   */
  private equalWhileLive = false;
  private graph: HeapGraph | undefined;
  /** The number under which this capture's heap snapshot keeps what it tells (kept.ts). */
  private snapshotNumber = 0;
  /** Contexts are told by what the last checkpoint's heap snapshot told, until a function it did not see. */
  private byKept = contextsKept();
  /** Changes when the contexts are decided again (frames must be matched again). */
  generation = 0;

  constructor(
    private readonly host: ClosureHost,
    private readonly introspector: Introspector,
    private readonly heapGraph: HeapGraphSource,
  ) {}

  add(
    fn: ProgramFunction,
    id: number,
    site: number,
    scopes: Scope[],
    facts: ScriptFacts | undefined,
    location: { lineNumber: number; columnNumber: number },
    heapId?: number,
  ): void {
    const at = `${location.lineNumber}:${location.columnNumber}`;
    const lexicalThis = !!facts?.lexicalThisArrows.has(at);
    const superHome = !!facts?.superMethods.has(at);
    // A restored class is made before its contexts and globals get their values: only a built-in global
    // reads the same then, or a variable of its scopes the restore gives its value first (restore/functions.ts
    // earlyIndexes): a primitive or a symbol, never reassigned (so still the value the key read).
    const keyName = facts?.evaluatedClassKeys.get(at)?.find((name) => {
      const scope = scopes.find((s) => name in s.object);
      const value = scope && Reflect.getOwnPropertyDescriptor(scope.object, name)?.value;
      if (scope?.description === 'Global') return !this.host.isBuiltin(value);
      return (
        !scope ||
        facts!.mutableNames.has(name) ||
        (typeof value === 'object' && value !== null) ||
        typeof value === 'function'
      );
    });
    if (keyName !== undefined) {
      this.host.refuse(
        id,
        `class ${Object.getOwnPropertyDescriptor(fn, 'name')?.value || '(anonymous)'}: a member key its restored copy evaluates again reads \`${keyName}\`, which is not a built-in global nor a constant primitive or symbol of its scopes (not carried yet)`,
      );
    }
    const entry: FunctionEntry = {
      fn,
      id,
      site,
      scopes: programScopes(scopes),
      facts,
      location,
      lexicalThis,
      superHome,
      context: null,
    };
    this.entries.push(entry);
    if (lexicalThis) this.needsIdentity ??= 'arrow functions reading a lexical this';
    if (superHome) this.needsIdentity ??= 'object-literal methods using super';
    entry.context = this.graph
      ? this.byIdentity(entry, heapId ?? this.introspector.heapIds([fn])[0])
      : this.withoutSnapshot(entry);
  }

  /** By what the last heap snapshot told of the function, while it told of every one so far; else by value. */
  private withoutSnapshot(entry: FunctionEntry): ContextStandIn | null {
    if (!this.byKept) return this.byValue(entry);
    const levels = entry.scopes.filter((s) => s.description !== 'Script');
    // A lexical `this` or a `super` home is read from the snapshot itself.
    const chain = entry.lexicalThis || entry.superHome ? undefined : keptContexts(entry.fn);
    if (chain?.length === levels.length) return this.chained(entry, levels, chain, 'kept');
    this.byKept = false;
    this.forgetStandIns();
    for (const each of this.entries) each.context = this.byValue(each);
    return entry.context;
  }

  /** True once, when a snapshot must settle identities; the caller then drains new objects. */
  resolveIdentityIfNeeded(): boolean {
    if (this.equalWhileLive && this.host.liveActivations() > 0) this.needsIdentity ??= EQUAL_VALUES;
    return !!this.needsIdentity && this.identifyByHeapSnapshot(this.needsIdentity);
  }

  /** The heap snapshot this layer decides contexts by, once it does. */
  get heapSnapshot(): HeapGraph | undefined {
    return this.graph;
  }

  /**
   * From now on contexts are told apart by the heap snapshot (those decided so far again): exact,
   * and cheaper than by value for many functions over large scopes. False if it already was.
   */
  identifyByHeapSnapshot(why: string): boolean {
    if (this.graph) return false;
    this.graph = this.heapGraph(why);
    this.snapshotNumber = newContextSnapshot();
    this.byKept = false;
    const heapIds = this.introspector.heapIds(this.entries.map((e) => e.fn));
    this.forgetStandIns();
    this.entries.forEach((entry, i) => (entry.context = this.byIdentity(entry, heapIds[i])));
    return true;
  }

  private forgetStandIns(): void {
    this.byKey.clear();
    this.standIns.length = 0;
    this.frameMade.clear();
    this.nodeOf.clear();
    this.generation++;
  }

  writeTable(out: ByteWriter): void {
    for (const entry of this.entries) {
      if (entry.site < 0) continue; // refused: the capture fails anyway
      out.uint(entry.site);
      this.host.value(entry.context, entry.id, '[[Scopes]]', out);
    }
  }

  /** A placeholder entry keeps the table aligned with the records when a function is refused. */
  addRefused(fn: ProgramFunction, id: number): void {
    this.entries.push({
      fn,
      id,
      site: -1,
      scopes: [],
      facts: undefined,
      location: { lineNumber: 0, columnNumber: 0 },
      lexicalThis: false,
      superHome: false,
      context: null,
    });
  }

  /** Contexts keyed by parent, description and variable values (outermost first). */
  private byValue(entry: FunctionEntry): ContextStandIn | null {
    let parent: ContextStandIn | null = null;
    const levels = entry.scopes;
    for (let i = levels.length - 1; i >= 0; i--) {
      const { description, object } = levels[i];
      const names = Object.keys(object);
      let key: string = `${parent ? this.host.id(parent, entry.id, '') : -1}|${description}|${names.join(',')}`;
      for (const name of names) {
        const v = (object as ProgramValue)[name];
        key +=
          (typeof v === 'object' && v !== null) || typeof v === 'function' || typeof v === 'symbol'
            ? `|#${this.host.id(v, entry.id, name)}`
            : `|${typeof v}:${String(v)}`;
      }
      const seen: { ctx: ContextStandIn; fn: ProgramFunction } | undefined =
        this.byKey.get(key) ?? this.adoptFrameMade(key, parent, levels[i]);
      if (
        seen &&
        seen.fn !== entry.fn &&
        !this.isSingleton(entry, i, names) &&
        this.mayChange(entry, names) &&
        !holdsFreshValue(entry.facts, object as ProgramValue, names)
      ) {
        if (this.closureMayChange(entry, names)) this.needsIdentity ??= EQUAL_VALUES;
        else this.equalWhileLive = true;
      }
      parent = seen ? seen.ctx : this.standIn(key, description, parent, object as Record<string, unknown>, entry);
    }
    return parent;
  }

  /** Contexts keyed by their heap snapshot node: exact sharing, and lexical `this` read from the slot. */
  private byIdentity(entry: FunctionEntry, heapId: number | undefined): ContextStandIn | null {
    const graph = this.graph!;
    const levels = entry.scopes.filter((s) => s.description !== 'Script');
    const fullChain = heapId === undefined ? undefined : graph.contextChain(heapId);
    const chain = fullChain && this.aligned(levels, fullChain);
    if (!chain) {
      this.host.warn(
        `the contexts of function #${entry.id} could not be matched in the heap snapshot; they were told apart by value`,
      );
      if (entry.lexicalThis)
        this.host.refuse(entry.id, 'an arrow function whose lexical `this` could not be found in the heap snapshot');
      if (entry.superHome)
        this.host.refuse(
          entry.id,
          'an object-literal method using `super` whose home object could not be found in the heap snapshot',
        );
      return this.byValue(entry);
    }
    if (!entry.lexicalThis && !entry.superHome) keepContexts(entry.fn, chain, this.snapshotNumber);
    let thisFound = !entry.lexicalThis;
    let lateThis: { level: number; thisId: number } | undefined;
    let parent = this.chained(entry, levels, chain, 'node', (ctx, i, made) => {
      if (thisFound) return;
      const thisId = graph.contextSlot(chain[i], 'this');
      if (thisId === undefined) return;
      thisFound = true;
      if (Object.hasOwn(ctx.variables, 'this')) return;
      // A stand-in made for another of its functions may be recorded already (superstruct's
      // validators, met through another struct's closure after their coercer): not changed, the
      // arrow gets the `this` from a context of its own, innermost.
      if (!made) lateThis = { level: i, thisId };
      else {
        ctx.variables.this = this.introspector.objectByHeapId(thisId);
        this.host.id(ctx.variables.this, entry.id, 'this');
      }
    });
    if (lateThis) parent = this.thisHolder(`this|${chain[lateThis.level]}|${chain[0]}`, lateThis.thisId, parent, entry);
    if (!thisFound) {
      // A context holding nothing but `this` is one the scope view leaves out: find it in the chain.
      const holder = fullChain!.find((node) => graph.contextSlot(node, 'this') !== undefined);
      if (holder === undefined) {
        this.host.refuse(entry.id, 'an arrow function whose lexical `this` is not an object (not carried yet)');
        return parent;
      }
      parent = this.thisHolder(`node|${holder}`, graph.contextSlot(holder, 'this')!, parent, entry);
    }
    if (entry.superHome) {
      // The object literal's own scope, innermost, holds the home object in an unnamed slot (and
      // nothing the scope view shows): carried as a variable the restored method's `super` reads.
      const holder = fullChain![0];
      const home = holder === undefined || chain.includes(holder) ? undefined : graph.hiddenObject(holder);
      if (home === undefined) {
        this.host.refuse(
          entry.id,
          'an object-literal method using `super` whose home object could not be found in the heap snapshot',
        );
        return parent;
      }
      const key = `node|${holder}`;
      const homeObject = this.introspector.objectByHeapId(home);
      parent =
        this.byKey.get(key)?.ctx ?? this.standIn(key, 'Block', parent, { [HOME_OBJECT_VARIABLE]: homeObject }, entry);
      this.host.id(homeObject, entry.id, HOME_OBJECT_VARIABLE);
    }
    return parent;
  }

  /** A context holding nothing but a `this`, inside `parent`: one per key. */
  private thisHolder(key: string, thisId: number, parent: ContextStandIn | null, entry: FunctionEntry): ContextStandIn {
    const seen = this.byKey.get(key)?.ctx;
    if (seen) return seen;
    const thisValue = this.introspector.objectByHeapId(thisId);
    this.host.id(thisValue, entry.id, 'this');
    return this.standIn(key, 'Closure', parent, { this: thisValue }, entry);
  }

  /**
   * The stand-ins of a function's contexts, one per level (innermost first) keyed by its token in
   * `chain` (a heap snapshot's node, this capture's or a kept one's), under its script scope's.
   */
  private chained(
    entry: FunctionEntry,
    levels: Scope[],
    chain: number[],
    tokens: 'node' | 'kept',
    atLevel?: (ctx: ContextStandIn, level: number, made: boolean) => void,
  ): ContextStandIn | null {
    const script = entry.scopes.find((s) => s.description === 'Script');
    const scriptKey = script && `script|${Object.keys(script.object).join(',')}`;
    let parent: ContextStandIn | null = script
      ? (this.byKey.get(scriptKey!)?.ctx ??
        this.standIn(scriptKey!, 'Script', null, script.object as Record<string, unknown>, entry))
      : null;
    for (let i = levels.length - 1; i >= 0; i--) {
      const key = `${tokens}|${chain[i]}`;
      const seen = this.byKey.get(key) ?? this.adoptFrameMade(key, parent, levels[i]);
      const ctx = seen
        ? seen.ctx
        : this.standIn(key, levels[i].description, parent, { ...(levels[i].object as Record<string, unknown>) }, entry);
      atLevel?.(ctx, i, !seen);
      parent = ctx;
    }
    return parent;
  }

  private readonly alignments = new Map<string, number[] | undefined>();

  /** alignContexts, once per context chain: functions of one chain have the same scopes (and a module's may be thousands). */
  private aligned(levels: Scope[], chain: number[]): number[] | undefined {
    const key = chain.join(',');
    if (!this.alignments.has(key))
      this.alignments.set(
        key,
        alignContexts(levels, chain, this.graph!, (objects) => this.introspector.heapIds(objects)),
      );
    return this.alignments.get(key);
  }

  private standIn(
    key: string,
    description: string,
    parent: ContextStandIn | null,
    variables: Record<string, unknown>,
    entry: Pick<FunctionEntry, 'id' | 'fn'>,
  ): ContextStandIn {
    const ctx: ContextStandIn = { description, parent, variables };
    contextObjects.add(ctx);
    this.standIns.push(ctx);
    if (key.startsWith('node|')) this.nodeOf.set(ctx, Number(key.slice(5)));
    this.host.id(ctx, entry.id, `[[Scopes]] ${description}`);
    this.byKey.set(key, { ctx, fn: entry.fn });
    return ctx;
  }

  /**
   * The stand-in for the scopes a paused frame's function closes over (innermost first): at each
   * level the one stand-in with the same parent, description and values (so the frame shares it
   * with the functions closing over it), or a new one. When two fit, the one the stack holds
   * (onStack); `undefined` when that cannot tell either.
   */
  frameClosure(chain: Scope[], from: number): ContextStandIn | null | undefined {
    const levels = programScopes(chain);
    let parent: ContextStandIn | null = null;
    for (let i = levels.length - 1; i >= 0; i--) {
      const fits = this.standIns.filter((ctx) => ctx.parent === parent && sameScope(ctx, levels[i]));
      if (fits.length > 1) return this.onStack(levels);
      if (fits[0]) {
        parent = fits[0];
        continue;
      }
      const variables = { ...(levels[i].object as Record<string, unknown>) };
      parent = this.standIn(`frame|${this.standIns.length}`, levels[i].description, parent, variables, {
        id: from,
        fn: FRAME,
      });
      this.frameMade.add(parent);
    }
    return parent;
  }

  /**
   * The stand-in a paused frame made for this scope, when a function closing over it is walked only
   * after (reached through the frame's own closure, say): the frame and the function share it, as
   * they share the context in the program. Registered under the function's key as the frame's, so
   * that equal values of a context that may change still call for the heap snapshot.
   */
  private adoptFrameMade(
    key: string,
    parent: ContextStandIn | null,
    scope: Scope,
  ): { ctx: ContextStandIn; fn: ProgramFunction } | undefined {
    const fits = [...this.frameMade].filter((ctx) => ctx.parent === parent && sameScope(ctx, scope));
    if (fits.length !== 1) return undefined;
    const adopted = { ctx: fits[0], fn: FRAME };
    this.byKey.set(key, adopted);
    if (key.startsWith('node|')) this.nodeOf.set(fits[0], Number(key.slice(5)));
    return adopted;
  }

  /**
   * Of the contexts whose chains hold a frame's values, the one the paused stack holds (its
   * function, or a context it entered, is a stack root): contexts told apart by the heap snapshot.
   * Undefined when none or several are (two frames in equal contexts).
   */
  private onStack(levels: Scope[]): ContextStandIn | undefined {
    this.identifyByHeapSnapshot('paused frames in closure contexts that equal values cannot tell apart');
    const onStack = this.graph!.stackContexts();
    const fits = this.standIns.filter((ctx) => {
      let at: ContextStandIn | null = ctx;
      for (const level of levels) {
        if (!at || !sameScope(at, level)) return false;
        at = at.parent;
      }
      return at === null && onStack.has(this.nodeOf.get(ctx) ?? -1);
    });
    return fits.length === 1 ? fits[0] : undefined;
  }

  /**
   * The frame's own context, when closures made in the frame share it: the stand-in under the
   * frame's closure whose variables all hold the frame's values. `null` when none does,
   * `undefined` when several do (recursion that left equal values).
   */
  frameOwnContext(local: Scope, parent: ContextStandIn | null): ContextStandIn | null | undefined {
    const values = local.object as Record<string, unknown>;
    const fits = this.standIns.filter(
      (ctx) =>
        ctx.parent === parent &&
        ctx.description === local.description &&
        Object.keys(ctx.variables).every(
          (name) => name === 'this' || (Object.hasOwn(values, name) && Object.is(ctx.variables[name], values[name])),
        ),
    );
    return fits.length > 1 ? undefined : (fits[0] ?? null);
  }

  /** A module's top-level context: one per module, so equal keys are the same context. */
  private isSingleton(entry: FunctionEntry, level: number, names: string[]): boolean {
    const { description } = entry.scopes[level];
    if (description === 'Script') return true;
    const outermost = level === entry.scopes.length - 1 || entry.scopes[level + 1]?.description === 'Script';
    return (
      outermost && description === 'Closure' && !!entry.facts && names.every((n) => entry.facts!.moduleNames.has(n))
    );
  }

  /** Whether any variable may be reassigned (unknown scripts: assume so). */
  private mayChange(entry: FunctionEntry, names: string[]): boolean {
    return !entry.facts || names.some((n) => entry.facts!.mutableNames.has(n));
  }

  /**
   * Whether a closure may reassign any variable, whenever it runs: one that a scope around the
   * function declares and a closure assigns (unknown scripts: any that may change).
   */
  private closureMayChange(entry: FunctionEntry, names: string[]): boolean {
    const assigned = entry.facts?.closureAssigned;
    if (!assigned) return this.mayChange(entry, names);
    const { lineNumber, columnNumber } = entry.location;
    return names.some((name) => assigned.get(name)?.some((scope) => spans(scope, lineNumber, columnNumber)));
  }
}

/**
 * Pairs each visible scope (innermost first) with its context in the snapshot's chain. V8 keeps
 * some contexts the scope view does not show (a class's own scope, for one): a context is skipped
 * when it cannot be the scope's, that is when it lacks a slot for one of the scope's heap-object
 * variables or has a slot the scope does not list (besides those it never lists: isUnlisted). A
 * block's slots are unnamed in the snapshot: they are told by their values' heap ids (`heapIds`,
 * asked only for such contexts).
 */
function alignContexts(
  levels: Scope[],
  chain: number[],
  graph: HeapGraph,
  heapIds: (objects: object[]) => number[],
): number[] | undefined {
  const out: number[] = [];
  let at = 0;
  for (const level of levels) {
    const vars = level.object as Record<string, unknown>;
    let byHeapId: Map<number, string> | undefined;
    const namesByHeapId = () => (byHeapId ??= variablesByHeapId(vars, heapIds));
    const isModule = level.description === 'Module';
    if (isModule) at = Math.max(at, chain.length - 1); // the module's context is the outermost
    while (at < chain.length && !contextFits(vars, chain[at], graph, namesByHeapId, isModule)) at++;
    if (at === chain.length) return undefined;
    out.push(chain[at++]);
  }
  return out;
}

/**
 * Whether a context can be the one of a scope holding `vars`: its slots, named or told by value, are
 * the scope's. A module's imports are scope variables without a slot (V8 keeps them in the exporting
 * module's cells), so a module context need only have no slot the scope lacks.
 */
function contextFits(
  vars: Record<string, unknown>,
  context: number,
  graph: HeapGraph,
  namesByHeapId: () => Map<number, string>,
  isModule: boolean,
): boolean {
  const names = new Set(Object.keys(vars));
  const unnamed = graph.unnamedContextSlots(context);
  const told = unnamed.flatMap((slot) => {
    const name = namesByHeapId().get(slot.heapId);
    return name !== undefined ? [name] : slot.closureName !== undefined ? [slot.closureName] : [];
  });
  const slots = [...graph.contextSlotNames(context), ...told];
  const slotSet = new Set(slots);
  return (
    (isModule || [...names].every((n) => !isHeapValue(vars[n]) || slotSet.has(n))) &&
    slots.every((n) => isUnlisted(n) || names.has(n))
  );
}

/** The scope's object-valued variables by their heap ids (a symbol has none to ask). */
function variablesByHeapId(
  vars: Record<string, unknown>,
  heapIds: (objects: object[]) => number[],
): Map<number, string> {
  const named = Object.entries(vars).filter(
    (entry): entry is [string, object] =>
      (typeof entry[1] === 'object' && entry[1] !== null) || typeof entry[1] === 'function',
  );
  const ids = named.length > 0 ? heapIds(named.map(([, value]) => value)) : [];
  return new Map(named.map(([name], i) => [ids[i], name]));
}

/**
 * Slots not among a scope's program variables: `this` and V8's internal ones (`.new.target`), which
 * the scope view never lists (a sloppy eval in restored code context-allocates them), and the
 * factory locals of restored code (programScopes leaves them out).
 */
function isUnlisted(slot: string): boolean {
  return slot === 'this' || slot.startsWith('.') || GENERATED_LOCALS.has(slot);
}

/** Whether a stand-in holds exactly a scope's variables (a lexical `this` slot aside). */
function sameScope(ctx: ContextStandIn, scope: Scope): boolean {
  if (ctx.description !== scope.description) return false;
  const values = scope.object as Record<string, unknown>;
  const names = Object.keys(values);
  const own = Object.keys(ctx.variables).filter((name) => (name === 'this' ? Object.hasOwn(values, 'this') : true));
  return (
    own.length === names.length &&
    names.every((name) => Object.hasOwn(ctx.variables, name) && Object.is(ctx.variables[name], values[name]))
  );
}

/** The `fn` of stand-ins first made for a paused frame (no function closes over them yet). */
const FRAME = function pausedFrame() {};

/**
 * Whether a scope holds a function, class, object or array that only a run of that scope made (under
 * one of ScriptFacts.freshValueNames): no other context holds it, so a context of equal values is this one.
 */
function holdsFreshValue(facts: ScriptFacts | undefined, scope: ProgramValue, names: string[]): boolean {
  return !!facts && names.some((name) => facts.freshValueNames.has(name) && isHeapObject(scope[name]));
}

function isHeapObject(value: unknown): boolean {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/** Values that are heap objects (and so have an edge); small integers and booleans may not. */
function isHeapValue(value: unknown): boolean {
  return (typeof value === 'object' && value !== null) || typeof value === 'function' || typeof value === 'symbol';
}
