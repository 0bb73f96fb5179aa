// Checkpoint Here, the debugger's side. From the paused call stack it gathers, for every user
// frame, what only CDP can give: the frame's scope objects, its `this`, and the values an
// evaluation on the frame yields (`arguments`, `new.target`, a class for `super`, the remaining
// iterations of enclosing for-in/for-of loops). Each frame's resume variant is generated here
// once, so that a frame that cannot resume is refused before anything is written; the restore
// runtime generates the same variant again from the same source.
import type { Protocol } from 'devtools-protocol';
import { parse, type ForOfStatement } from 'acorn';
import type { CdpConnection } from '../cdp/connection';
import {
  generateResumeVariant,
  nativeCallbackAt,
  arrayLoopResumeIndex,
  currentOfArrayLoop,
  remainingArrayItems,
  remainingForInKeys,
  ADVICE,
  ResumeRefusal,
  type ArrayLoopPosition,
  type Location0,
  type ResumeVariant,
} from '../resume/index';
import { isRuntimeScript, type ScriptTable } from './target-session';
import type { FrameInput, FrameScopeInput, SuspendedSite } from './agent/frame-values';
import { FerryError } from '../errors';
import { callInTarget } from '../cdp/in-target';
import { entryModuleUrl } from './entry-module';
import type { RefusedAt } from './nearest-point';
import { awaitValueUnused } from '../resume/tail-call';
import {
  betweenSegment,
  bottomSegment,
  type RunningInput,
  type RuntimeSegment,
  type SegmentContext,
} from './runtime-frames';
import type { FrameSite } from '../format/sections';

export interface PausedStack {
  sites: FrameSite[];
  /** One per site: where the agent finds each frame's values among `values`. */
  inputs: FrameInput[];
  /** CDP call arguments, handed to the agent in this order. */
  values: Protocol.Runtime.CallArgument[];
  /** The scripts whose sources the restore needs for the variants. */
  scriptIds: string[];
  /** The timer or immediate whose callback the outermost frame runs (Node's caller frame holds it). */
  running?: RunningInput;
  /** Ticks run between two immediates of a batch: the immediate the rest of the batch starts at. */
  batchFrom?: number;
}

export class FrameRefusedError extends FerryError {
  readonly kind = 'refused';
  /** `at`: the frame refused, and the step that leaves it behind (nearest-point.ts). */
  constructor(
    message: string,
    readonly at: RefusedAt = { frame: 0, action: 'out' },
  ) {
    super(message);
  }
}

const loc = (l: Protocol.Debugger.Location | undefined): Location0 | undefined =>
  l ? { line: l.lineNumber, column: l.columnNumber ?? 0 } : undefined;
const CARRIED_SCOPES = new Set(['local', 'block', 'catch']);
const CHAIN_SCOPES = new Set(['closure', 'script', 'module']);

/** Reads the user frames of a paused stack; throws FrameRefusedError when one cannot resume. */
export async function readPausedStack(
  cdp: CdpConnection,
  callFrames: readonly Protocol.Debugger.CallFrame[],
  scripts: ScriptTable,
  sourceOf: (scriptId: string) => Promise<string>,
): Promise<PausedStack> {
  const urlOf = (f: Protocol.Debugger.CallFrame) => scripts.get(f.location.scriptId)?.url ?? f.url;
  const groups = splitStack(callFrames, (f) => !isRuntimeScript(urlOf(f)));
  if (groups[0].user.length === 0)
    throw new FrameRefusedError(
      `the program is paused in Node's own code (${callFrames[0] ? urlOf(callFrames[0]) : 'no frame'}), not in its own: step into the program, or checkpoint at idle`,
    );
  const reader = new StackReader(cdp, scripts, sourceOf, urlOf, groups);
  const sites: FrameSite[] = [];
  const inputs: FrameInput[] = [];
  for (let k = 0; k < reader.userFrames.length; k++) {
    const { site, input } = await reader.readFrame(k);
    sites.push(site);
    inputs.push(input);
  }
  const { values, running, batchFrom } = reader;
  return { sites, inputs, values, scriptIds: [...new Set(sites.map((s) => s.scriptId))], running, batchFrom };
}

/** One user frame of the stack being read, with what reading it needs. */
interface FrameAt {
  k: number;
  frame: Protocol.Debugger.CallFrame;
  url: string;
  location: Location0;
  /** A value only an evaluation on the frame gives; a failure refuses the frame with `what`. */
  evaluate(expression: string, what: string, on?: Protocol.Debugger.CallFrame): Promise<number>;
}

/** The state shared while the frames of one paused stack are read, innermost first. */
class StackReader {
  readonly userFrames: Protocol.Debugger.CallFrame[];
  /** CDP call arguments, handed to the agent in this order. */
  readonly values: Protocol.Runtime.CallArgument[] = [];
  running: RunningInput | undefined;
  /** The entry module's URL, asked once a frame is a module's top level. */
  private entryModule: string | undefined;
  batchFrom: number | undefined;
  private readonly segments: ReturnType<typeof segmentsUnder>;
  private readonly variants: ResumeVariant[] = [];

  constructor(
    private readonly cdp: CdpConnection,
    private readonly scripts: ScriptTable,
    private readonly sourceOf: (scriptId: string) => Promise<string>,
    private readonly urlOf: (f: Protocol.Debugger.CallFrame) => string,
    groups: StackGroup[],
  ) {
    this.userFrames = groups.flatMap((g) => g.user);
    this.segments = segmentsUnder(groups);
  }

  async readFrame(k: number): Promise<{ site: FrameSite; input: FrameInput }> {
    const frame = this.userFrames[k];
    const url = this.scripts.get(frame.location.scriptId)?.url ?? frame.url;
    const location = loc(frame.location)!;
    const at: FrameAt = { k, frame, url, location, evaluate: (e, what, on) => this.evaluate(at, e, what, on) };
    const source = await this.sourceOf(frame.location.scriptId);
    const moduleBody = await this.isModuleBody(at);
    const directlyUnder = k > 0 && !this.segments.has(k - 1);
    const nativeCallback = directlyUnder ? await this.builtinRunningInner(at, source) : undefined;
    const variant = this.variantOf(at, source, nativeCallback);
    this.variants.push(variant);
    const site: FrameSite = {
      scriptId: frame.location.scriptId,
      url,
      functionName: frame.functionName,
      location,
      role: k === 0 ? 'innermost' : 'caller',
      nativeCallback,
      scopes: [],
    };
    const input: FrameInput = {
      scopes: this.scopesOf(at, site, moduleBody),
      thisValue: await this.thisOf(at, variant),
      loops: [],
      ...(moduleBody ? { moduleBody } : {}),
    };
    // A module's body settles no promise of the program's: only Node's loader waits on it.
    if (variant.kind === 'async' && !moduleBody) input.runningAsync = frame.functionLocation;
    // A generator running inside next(): the agent finds its object (if the program holds it) to give it its identity.
    if (variant.kind === 'generator') input.runningGenerator = frame.functionLocation;
    await this.readBindings(at, variant, input);
    await this.readLoops(at, variant, input, site);
    if (variant.needs.nativeIndexArgument !== undefined)
      input.nativeIndex = await this.nativeIndex(at, variant.needs.nativeIndexArgument, nativeCallback);
    await this.readSegmentBelow(at, site, input);
    return { site, input };
  }

  /**
   * The frame's `this`. V8 reports an async arrow's receiver as its `this` once it has been
   * suspended (the array it was called from, in `jobs[0]()`), where the code reads its lexical one:
   * an async arrow's is asked of the frame itself (a round trip the other frames need not make).
   */
  private async thisOf(at: FrameAt, variant: ResumeVariant): Promise<number> {
    if (variant.kind !== 'async' || !variant.isArrow) return this.add(at.frame.this);
    return this.evaluate(at, 'this', 'its `this`');
  }

  /**
   * The built-in that runs the inner frame as its callback (`xs.forEach(cb)`), read from the call
   * site's method name; none when the callee is the program's own function of that name (a class
   * field `parse` holding an arrow), which the frame then calls directly.
   */
  private async builtinRunningInner(at: FrameAt, source: string): Promise<string | undefined> {
    const site = nativeCallbackAt(source, at.location, this.userFrames[at.k - 1].functionName);
    if (!site?.callee) return site?.method;
    const r = await evaluateOn(this.cdp, at.frame, site.callee, { sideEffectFree: true });
    const programFunction =
      'value' in r && r.value.type === 'function' && !r.value.description?.endsWith('{ [native code] }');
    return programFunction ? undefined : site.method;
  }

  private add(o: Protocol.Runtime.RemoteObject): number {
    return (
      this.values.push(
        o.objectId
          ? { objectId: o.objectId }
          : o.unserializableValue
            ? { unserializableValue: o.unserializableValue }
            : { value: o.value },
      ) - 1
    );
  }

  private async evaluate(at: FrameAt, expression: string, what: string, on = at.frame): Promise<number> {
    const r = await evaluateOn(this.cdp, on, expression);
    if ('error' in r)
      throw new FrameRefusedError(
        `frame ${at.k} (${at.frame.functionName || 'anonymous'}) at ${at.url}:${at.location.line + 1}: ${what}: ${r.error}`,
        { frame: at.k, action: 'over' },
      );
    return this.add(r.value);
  }

  /**
   * A frame that is the top level of an ES module: only the entry module's goes on from where it is
   * (the body is an async frame, as a top-level await makes it; importers of any other wait on it
   * inside Node's loader). Under Node's loader, in the module's first run, it is refused below.
   */
  private async isModuleBody(at: FrameAt): Promise<boolean> {
    const { k, frame, url } = at;
    const start = frame.functionLocation;
    if (!this.scripts.get(frame.location.scriptId)?.isModule || start?.lineNumber !== 0 || start.columnNumber !== 0)
      return false;
    this.entryModule ??= await entryModuleOf(this.cdp);
    if (url !== this.entryModule)
      throw new FrameRefusedError(
        `frame ${k} is the top level of the ES module ${url}, which cannot be re-entered (only the entry module's can); step into a function, or checkpoint at idle`,
        { frame: k, action: 'out' },
      );
    return true;
  }

  /** Where the inner frame's function starts, when the caller's script holds it. */
  private innerFunctionAt(caller: Protocol.Debugger.CallFrame, inner: Protocol.Debugger.CallFrame) {
    const at = inner.functionLocation;
    return at && at.scriptId === caller.location.scriptId ? loc(at) : undefined;
  }

  /** The frame's resume variant, or why it cannot resume where it is. */
  private variantOf(at: FrameAt, source: string, nativeCallback: string | undefined): ResumeVariant {
    const { k, frame, url, location } = at;
    // Stopped at its return (a step out of a callee lands there): a variant resumes past the
    // statement, and the value it already computed, a `new Promise` or a callback's result, is lost.
    if (k === 0 && frame.returnValue && frame.returnValue.type !== 'undefined') {
      throw new FrameRefusedError(
        `frame 0 (${frame.functionName || 'anonymous'}) at ${url}:${location.line + 1}: it is returning a value it has computed, which a resumed frame cannot return; step out of it, or checkpoint at idle`,
        { frame: 0, action: 'out' },
      );
    }
    let variant: ResumeVariant;
    try {
      variant = generateResumeVariant({
        source,
        location,
        role: k === 0 ? 'innermost' : 'caller',
        nativeCallback,
        innerFunctionAt: k === 0 ? undefined : this.innerFunctionAt(frame, this.userFrames[k - 1]),
        url,
        functionName: frame.functionName,
        frameIndex: k,
      });
    } catch (error) {
      // Re-evaluating part of the paused statement is what is refused: the next statement can resume.
      if (error instanceof ResumeRefusal)
        throw new FrameRefusedError(error.message, { frame: k, action: error.advice === ADVICE.step ? 'over' : 'out' });
      throw error;
    }
    // Not stepped out of either: a step out of an async generator aborts Node 20 (a V8 bug, SIGTRAP).
    if (variant.kind === 'async-generator') {
      throw new FrameRefusedError(
        `frame ${k} (${frame.functionName || 'anonymous'}) at ${url}:${location.line + 1}: an async generator function on the stack is not carried yet (and the debugger cannot step out of one without ending the program); checkpoint at idle, or at a breakpoint outside it`,
        { frame: k, action: 'stay' },
      );
    }
    return variant;
  }

  /** The frame's scope objects for the agent; the carried ones' extents go in the site. */
  /** `moduleBody`: the module's scope is the frame's own (its local scope), shared with its functions. */
  private scopesOf(at: FrameAt, site: FrameSite, moduleBody: boolean): FrameScopeInput[] {
    const scopes: FrameScopeInput[] = [];
    for (const listed of at.frame.scopeChain) {
      if (listed.type === 'global') continue;
      const scope = moduleBody && listed.type === 'module' ? { ...listed, type: 'local' as const } : listed;
      if (!CARRIED_SCOPES.has(scope.type) && !CHAIN_SCOPES.has(scope.type)) {
        throw new FrameRefusedError(
          `frame ${at.k} (${at.frame.functionName || 'anonymous'}) at ${at.url}:${at.location.line + 1}: a \`${scope.type}\` scope cannot be carried; checkpoint at idle`,
          { frame: at.k, action: 'out' },
        );
      }
      scopes.push({ type: scope.type, name: scope.name ?? '', value: this.add(scope.object) });
      if (CARRIED_SCOPES.has(scope.type))
        site.scopes.push({ type: scope.type, start: loc(scope.startLocation), end: loc(scope.endLocation) });
    }
    return scopes;
  }

  /** `arguments`, the function's own name, `new.target`, and what `super` needs. */
  private async readBindings(at: FrameAt, variant: ResumeVariant, input: FrameInput): Promise<void> {
    for (const binding of variant.functionBindings) {
      if (binding.kind === 'arguments') input.arguments = await at.evaluate('arguments', 'reading `arguments`');
      // A named function expression's own name is in no scope CDP lists; the frame still resolves it.
      if (binding.kind === 'self')
        input.self = await at.evaluate(binding.name, `reading its own name \`${binding.name}\``);
    }
    if (variant.needs.newTarget) input.newTarget = await at.evaluate('new.target', 'reading `new.target`');
    // The agent finds the method's home object (and a constructor's class) from `this` and new.target.
    if (!variant.needs.home && !variant.needs.superConstructor) return;
    input.owner = {
      home: variant.needs.home,
      superConstructor: variant.needs.superConstructor,
      functionLocation: at.frame.functionLocation!,
    };
    // Only a constructor's frame (and one that reads it) has new.target to evaluate.
    if (variant.needs.superConstructor) input.newTarget ??= await at.evaluate('new.target', 'reading `new.target`');
    else if (input.newTarget === undefined) {
      const r = await evaluateOn(this.cdp, at.frame, 'new.target');
      if ('value' in r) input.newTarget = this.add(r.value);
    }
  }

  /**
   * What is left to iterate of each enclosing for-in or for-of loop, read on the frame without side
   * effects (V8 refuses an evaluation that would change the program): an array run by its own
   * iterator (`list.entries()`) is the array, from the index after its variable's (`site.loops`).
   */
  private async readLoops(at: FrameAt, variant: ResumeVariant, input: FrameInput, site: FrameSite): Promise<void> {
    const starts: NonNullable<FrameSite['loops']> = [];
    for (const [i, loop] of variant.loops.entries()) {
      // The loop whose implicit next() is pending gets the resumed generator itself (restore/resumed-frames.ts).
      if (i === variant.needs.pendingNextLoop) {
        input.loops.push(this.add({ type: 'undefined' }));
        starts.push({ kind: 'iterator' });
        continue;
      }
      const what = `the position of the ${loop.kind} loop over \`${loop.right}\``;
      const { position } = loop;
      if (position) {
        const current = currentOfArrayLoop(position);
        if (!current)
          throw new FrameRefusedError(
            `frame ${at.k} (${at.frame.functionName || 'anonymous'}) at ${at.url}:${at.location.line + 1}: ${what}: \`${loop.left}\` does not tell it (a const index or element does)`,
            { frame: at.k, action: 'over' },
          );
        const index = callInTarget(itself, arrayLoopResumeIndex);
        const from = await this.readPure(
          at,
          `${index}(${position.array}, ${JSON.stringify(position.iteration)}, ${current})`,
          what,
        );
        input.loops.push(this.add(await this.readPure(at, position.array, what)));
        starts.push({ kind: 'array', from: from.value as number, iteration: position.iteration });
        continue;
      }
      const left = loop.left.replace(/^(const|let|var)\s+/, '');
      const helper = callInTarget(itself, loop.kind === 'for-in' ? remainingForInKeys : remainingArrayItems);
      input.loops.push(this.add(await this.readPure(at, `${helper}(${loop.right}, ${left})`, what)));
      starts.push({ kind: 'remaining' });
    }
    if (starts.some((start) => start.kind === 'array')) site.loops = starts;
  }

  /** An evaluation on the frame that V8 aborts if it would change the program; what it threw refuses the frame. */
  private async readPure(at: FrameAt, expression: string, what: string): Promise<Protocol.Runtime.RemoteObject> {
    const r = await evaluateOn(this.cdp, at.frame, expression, { sideEffectFree: true });
    if ('value' in r) return r.value;
    const why = /^EvalError: Possible side-effect/.test(r.error)
      ? 'reading it again on the paused frame could change the program'
      : r.error;
    throw new FrameRefusedError(
      `frame ${at.k} (${at.frame.functionName || 'anonymous'}) at ${at.url}:${at.location.line + 1}: ${what}: ${why}`,
      { frame: at.k, action: 'over' },
    );
  }

  /** The index a native caller (forEach, reduce, ...) had reached: the callback's index parameter. */
  private async nativeIndex(at: FrameAt, argument: number, nativeCallback: string | undefined): Promise<number> {
    const callback = this.userFrames[at.k - 1];
    const param = this.variants[at.k - 1]?.functionBindings.filter((b) => b.kind === 'param')[argument];
    if (!param)
      throw new FrameRefusedError(
        `frame ${at.k - 1} (${callback.functionName || 'anonymous'}): the callback of ${nativeCallback} does not name its index parameter, so its position is unknown; step out of it, or checkpoint at idle`,
        { frame: at.k - 1, action: 'out' },
      );
    return at.evaluate(param.name, `reading the index \`${param.name}\` of the ${nativeCallback} callback`, callback);
  }

  /** Node's frames under this one (a timer's, a listener's caller): what the restore plays in their place. */
  private async readSegmentBelow(at: FrameAt, site: FrameSite, input: FrameInput): Promise<void> {
    const below = this.segments.get(at.k);
    if (!below) return;
    const segment = await readSegment(below, {
      urlOf: this.urlOf,
      sourceOf: this.sourceOf,
      read: async (on, name) => {
        const r = await evaluateOn(this.cdp, on, name);
        return 'value' in r ? this.add(r.value) : undefined;
      },
      above: `frame ${at.k} (${at.frame.functionName || 'anonymous'})`,
      refuse: (message) => {
        throw new FrameRefusedError(message, { frame: at.k, action: 'out' });
      },
    });
    site.calledBy = segment.roles;
    if (segment.values.listeners) input.listeners = segment.values.listeners;
    if (segment.values.afterWrite) input.afterWrite = segment.values.afterWrite;
    if (segment.roles.includes('microtask')) input.microtask = at.frame.functionLocation;
    if (below.bottom) input.calledBy = segment.roles;
    this.running ??= segment.running;
    this.batchFrom ??= segment.batchFrom;
  }
}

interface StackGroup {
  user: Protocol.Debugger.CallFrame[];
  /** Node's frames under them, down to the next user frame or the bottom. */
  runtime: Protocol.Debugger.CallFrame[];
}

/** The stack as runs of the program's frames, each with the runtime's frames under it. */
function splitStack(
  callFrames: readonly Protocol.Debugger.CallFrame[],
  isUser: (f: Protocol.Debugger.CallFrame) => boolean,
): StackGroup[] {
  const groups: StackGroup[] = [{ user: [], runtime: [] }];
  for (const frame of callFrames) {
    let group = groups[groups.length - 1];
    if (isUser(frame) && group.runtime.length > 0) groups.push((group = { user: [], runtime: [] }));
    (isUser(frame) ? group.user : group.runtime).push(frame);
  }
  return groups;
}

/** For the outermost user frame of each group (its index among the user frames): the runtime frames under it. */
function segmentsUnder(groups: StackGroup[]): Map<number, { frames: Protocol.Debugger.CallFrame[]; bottom: boolean }> {
  const out = new Map<number, { frames: Protocol.Debugger.CallFrame[]; bottom: boolean }>();
  let k = -1;
  groups.forEach((group, g) => {
    k += group.user.length;
    out.set(k, { frames: group.runtime, bottom: g === groups.length - 1 });
  });
  return out;
}

function readSegment(
  below: { frames: Protocol.Debugger.CallFrame[]; bottom: boolean },
  context: Omit<SegmentContext, 'frames'>,
): Promise<RuntimeSegment> {
  return below.bottom
    ? bottomSegment({ ...context, frames: below.frames })
    : betweenSegment({ ...context, frames: below.frames });
}

/** The suspended async functions and generators the agent found, as sites; each is checked to resume, or refused. */
export function suspendedSites(
  found: SuspendedSite[],
  scripts: ScriptTable,
  sources: Map<string, string>,
): FrameSite[] {
  return found.map((f) => {
    const url = scripts.get(f.scriptId)?.url ?? '';
    const source = sources.get(f.scriptId);
    if (source === undefined) throw new Error(`no source for script ${f.scriptId}`);
    const site: FrameSite = {
      scriptId: f.scriptId,
      url,
      functionName: f.functionName,
      location: f.location,
      role: 'suspended',
      scopes: f.scopes,
    };
    try {
      const variant = generateResumeVariant({
        source,
        location: f.location,
        role: 'suspended',
        url,
        functionName: f.functionName,
      });
      const where = `${f.functionName || '(anonymous)'} at ${url}:${f.location.line + 1}`;
      if (variant.kind === 'function') throw new FrameRefusedError(`${where}: a plain function cannot be suspended`);
      // The modules importing one at a top-level await wait for it inside Node's loader, which no restore makes again.
      if (f.entryModule !== undefined && f.entryModule !== url)
        throw new FrameRefusedError(
          `${where}: a module other than the program's entry (${f.entryModule || 'unknown'}) is at a top-level await that the modules importing it wait on; checkpoint once it has finished`,
        );
      // An async generator's position and its heap must agree on whether it is at an await (and serving a request).
      if (variant.kind === 'async-generator' && variant.needs.awaited !== !!f.awaiting) {
        throw new FrameRefusedError(`${where}: the async generator's position and the promise it awaits do not agree`);
      }
      if (variant.loops.length > 0) site.loops = suspendedLoopStarts(variant, f.loops, where);
      if (f.awaitedUnread && !awaitValueUnused(source, f.location))
        throw new FrameRefusedError(
          `${where}: its await reads the value it goes on with, ${f.awaitedUnread}, which a heap snapshot does not show: checkpoint again once that await has gone on`,
        );
    } catch (error) {
      if (error instanceof ResumeRefusal)
        throw new FrameRefusedError(`the suspended function ${f.functionName || '(anonymous)'}: ${error.message}`);
      throw error;
    }
    return site;
  });
}

/**
 * Matches a suspended function's loops (what the agent found in its registers) with its variant's,
 * and where each array loop goes on: after its loop variable's current value, when that value is
 * in the array exactly once.
 */
function suspendedLoopStarts(
  variant: ResumeVariant,
  found: SuspendedSite['loops'],
  where: string,
): NonNullable<FrameSite['loops']> {
  const advice = 'checkpoint at idle once the loop is done, or while the function is on the stack';
  const refuse = (loop: ResumeVariant['loops'][number], why: string): never => {
    throw new FrameRefusedError(
      `${where}: it is suspended inside a ${loop.kind} loop over \`${loop.right}\`: ${why}; ${advice}`,
    );
  };
  if (typeof found === 'string') return refuse(variant.loops[0], found);
  if (found.length !== variant.loops.length)
    return refuse(variant.loops[0], "its loops could not be told apart in the suspended function's registers");
  return variant.loops.map((loop, i) => {
    const { kind, positions, parts } = found[i];
    if (loop.kind === 'for-in') return refuse(loop, 'the position of a for-in loop is out of reach');
    if (loop.kind === 'for-await-of' && kind !== 'iterator')
      return refuse(loop, 'only a for-await loop over a generator (async or not) is carried');
    if (kind !== 'array') return { kind };
    if (loop.position) {
      const from = suspendedArrayIndex(loop.position, found[i]);
      if (typeof from === 'string') return refuse(loop, from);
      return { kind, from: from + 1, iteration: loop.position.iteration };
    }
    const name = /^(?:const|let)\s+([A-Za-z_$][\w$]*)$/.exec(loop.left.trim())?.[1];
    if (!name) {
      const at = destructuredPosition(loop.left, parts ?? {});
      if (typeof at === 'string') return refuse(loop, at);
      return { kind, from: at + 1 };
    }
    const at = positions?.[name];
    if (at === undefined)
      return refuse(
        loop,
        `its array position cannot be known: the current element \`${name}\` is absent or occurs more than once`,
      );
    return { kind, from: at + 1 };
  });
}

/**
 * Where a suspended for-of over an array whose const loop variable is destructured (`const [name, qty]`,
 * `const { id, title: t }`, of identifiers) is: the one element whose properties hold every one of
 * its variables' current values; why not, when no element or several do.
 */
function destructuredPosition(left: string, parts: Record<string, string[]>): number | string {
  const keys = destructuredKeys(left);
  const cannot = `its array position cannot be known from \`${left}\``;
  if (!keys) return `${cannot} (a const or let variable, or a const pattern of names, can tell it)`;
  let candidates: Set<string> | undefined;
  for (const [name, key] of keys) {
    const holding = new Set((parts[name] ?? []).filter((p) => p.endsWith(`:${key}`)).map((p) => p.split(':')[0]));
    candidates = new Set([...(candidates ?? holding)].filter((i) => holding.has(i)));
  }
  if (candidates?.size !== 1)
    return `${cannot}: ${candidates?.size ? 'several elements' : 'no element'} hold its values`;
  return Number([...candidates][0]);
}

/** The names a `const` pattern of identifiers binds, each with the element key it reads; undefined for any other. */
function destructuredKeys(left: string): Array<[string, string]> | undefined {
  let declaration;
  try {
    declaration = (parse(`for (${left} of []);`, { ecmaVersion: 'latest' }).body[0] as ForOfStatement).left;
  } catch {
    return undefined;
  }
  // A `let` pattern's names may be assigned in the body, and then tell another element.
  if (declaration.type !== 'VariableDeclaration' || declaration.kind !== 'const') return undefined;
  const pattern = declaration.declarations[0].id;
  const out: Array<[string, string]> = [];
  if (pattern.type === 'ArrayPattern') {
    for (const [i, element] of pattern.elements.entries()) {
      if (element?.type === 'Identifier') out.push([element.name, String(i)]);
      else if (element) return undefined; // a nested pattern, a default or a rest: not told here
    }
  } else if (pattern.type === 'ObjectPattern') {
    for (const property of pattern.properties) {
      if (property.type !== 'Property' || property.computed || property.value.type !== 'Identifier') return undefined;
      const key =
        property.key.type === 'Identifier' ? property.key.name : String((property.key as { value: unknown }).value);
      out.push([property.value.name, key]);
    }
  }
  return out.length > 0 ? out : undefined;
}

/**
 * Where a suspended for-of over `list.entries()` (keys(), values()) is: the index its const index
 * variable holds, else the one place its element variable's value occurs; why not, if neither tells.
 */
function suspendedArrayIndex(
  position: ArrayLoopPosition,
  { positions = {}, indexes = {} }: Exclude<SuspendedSite['loops'], string>[number],
): number | string {
  const { index, element } = position;
  const at = index !== undefined ? indexes[index] : element !== undefined ? positions[element] : undefined;
  if (at === undefined)
    return index !== undefined
      ? `its index \`${index}\` is not one of the array's`
      : element !== undefined
        ? `its array position cannot be known: the current element \`${element}\` is absent or occurs more than once`
        : `its array position cannot be told by its loop variable (a const index or element can)`;
  // The element where the index points must be the loop's, when the element is known to be somewhere.
  if (element !== undefined && positions[element] !== undefined && positions[element] !== at)
    return `its element \`${element}\` is not at its index \`${index}\``;
  return at;
}

/** Evaluates an expression on a paused frame: its value, or what it threw (first line). */
async function evaluateOn(
  cdp: CdpConnection,
  frame: Protocol.Debugger.CallFrame,
  expression: string,
  { sideEffectFree = false } = {},
): Promise<{ value: Protocol.Runtime.RemoteObject } | { error: string }> {
  const r = await cdp.send('Debugger.evaluateOnCallFrame', {
    callFrameId: frame.callFrameId,
    expression,
    silent: true,
    throwOnSideEffect: sideEffectFree,
  });
  if (r.exceptionDetails)
    return { error: r.exceptionDetails.exception?.description?.split('\n')[0] ?? r.exceptionDetails.text };
  return { value: r.result };
}

/** The URL of the program's entry module (entry-module.ts), asked of the target. */
async function entryModuleOf(cdp: CdpConnection): Promise<string> {
  const { result } = await cdp.send('Runtime.evaluate', {
    expression: callInTarget(entryModuleUrl),
    returnByValue: true,
  });
  return typeof result.value === 'string' ? result.value : '';
}

/** Sent with callInTarget, it gives back the helper it is passed: a function to call on a frame's values. */
function itself(helper: never): unknown {
  return helper;
}
