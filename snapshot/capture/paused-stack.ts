// Checkpoint Here, the debugger's side. From the paused call stack it gathers, for every user
// frame, what only CDP can give: the frame's scope objects, its `this`, and the values an
// evaluation on the frame yields (`arguments`, `new.target`, a class for `super`, the remaining
// iterations of enclosing for-in/for-of loops). Each frame's resume variant is generated here
// once, so that a frame that cannot resume is refused before anything is written; the restore
// runtime generates the same variant again from the same source.
import type { Protocol } from 'devtools-protocol';
import type { CdpConnection } from '../cdp/connection';
import {
  generateResumeVariant,
  nativeCallbackAt,
  remainingArrayItems,
  remainingForInKeys,
  ADVICE,
  ResumeRefusal,
  type Location0,
  type ResumeVariant,
} from '../resume/index';
import { isRuntimeScript, type ScriptTable } from './target-session';
import type { FrameInput, FrameScopeInput, SuspendedSite } from './agent/frame-values';
import { FerryError } from '../errors';
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
  const userFrames = groups.flatMap((g) => g.user);
  const segments = segmentsUnder(groups);
  let running: RunningInput | undefined;
  let batchFrom: number | undefined;
  const values: Protocol.Runtime.CallArgument[] = [];
  const add = (o: Protocol.Runtime.RemoteObject): number =>
    values.push(
      o.objectId
        ? { objectId: o.objectId }
        : o.unserializableValue
          ? { unserializableValue: o.unserializableValue }
          : { value: o.value },
    ) - 1;
  const sites: FrameSite[] = [];
  const inputs: FrameInput[] = [];
  const variants: ResumeVariant[] = [];
  for (let k = 0; k < userFrames.length; k++) {
    const frame = userFrames[k];
    const source = await sourceOf(frame.location.scriptId);
    const location = loc(frame.location)!;
    const url = scripts.get(frame.location.scriptId)?.url ?? frame.url;
    if (
      scripts.get(frame.location.scriptId)?.isModule &&
      frame.functionLocation?.lineNumber === 0 &&
      frame.functionLocation.columnNumber === 0
    ) {
      throw new FrameRefusedError(
        `frame ${k} is the top level of the ES module ${url}, which cannot be re-entered; step into a function, or checkpoint at idle`,
        { frame: k, action: 'out' },
      );
    }
    const role: FrameSite['role'] = k === 0 ? 'innermost' : 'caller';
    const directlyUnder = k > 0 && !segments.has(k - 1);
    const nativeCallback = directlyUnder
      ? nativeCallbackAt(source, location, userFrames[k - 1].functionName)
      : undefined;
    let variant: ResumeVariant;
    try {
      variant = generateResumeVariant({
        source,
        location,
        role,
        nativeCallback,
        url,
        functionName: frame.functionName,
        frameIndex: k,
      });
    } catch (error) {
      // Re-evaluating part of the paused statement is what is refused: the next statement can resume.
      if (error instanceof ResumeRefusal)
        throw new FrameRefusedError(error.message, {
          frame: k,
          action: error.advice === ADVICE.step ? 'over' : 'out',
        });
      throw error;
    }
    if (variant.kind === 'async-generator') {
      throw new FrameRefusedError(
        `frame ${k} (${frame.functionName || 'anonymous'}) at ${url}:${location.line + 1}: a ${variant.kind.replace('-', ' ')} function on the stack is not carried yet; step out of it, or checkpoint at idle`,
        { frame: k, action: 'out' },
      );
    }
    variants.push(variant);
    /** A value only an evaluation on the frame gives; a failure refuses the frame with `what`. */
    const evaluate = async (expression: string, what: string, on = frame): Promise<number> => {
      const r = await evaluateOn(cdp, on, expression);
      if ('error' in r)
        throw new FrameRefusedError(
          `frame ${k} (${frame.functionName || 'anonymous'}) at ${url}:${location.line + 1}: ${what}: ${r.error}`,
          { frame: k, action: 'over' },
        );
      return add(r.value);
    };

    const scopes: FrameScopeInput[] = [];
    const site: FrameSite = {
      scriptId: frame.location.scriptId,
      url,
      functionName: frame.functionName,
      location,
      role,
      nativeCallback,
      scopes: [],
    };
    for (const scope of frame.scopeChain) {
      if (scope.type === 'global') continue;
      if (!CARRIED_SCOPES.has(scope.type) && !CHAIN_SCOPES.has(scope.type)) {
        throw new FrameRefusedError(
          `frame ${k} (${frame.functionName || 'anonymous'}) at ${url}:${location.line + 1}: a \`${scope.type}\` scope cannot be carried; checkpoint at idle`,
          { frame: k, action: 'out' },
        );
      }
      scopes.push({ type: scope.type, name: scope.name ?? '', value: add(scope.object) });
      if (CARRIED_SCOPES.has(scope.type))
        site.scopes.push({ type: scope.type, start: loc(scope.startLocation), end: loc(scope.endLocation) });
    }
    const input: FrameInput = { scopes, thisValue: add(frame.this), loops: [] };
    if (variant.kind === 'async') input.runningAsync = frame.functionLocation;
    // A generator running inside next(): the agent finds its object (if the program holds it) to give it its identity.
    if (variant.kind === 'generator') input.runningGenerator = frame.functionLocation;
    for (const binding of variant.functionBindings) {
      if (binding.kind === 'arguments') input.arguments = await evaluate('arguments', 'reading `arguments`');
      // A named function expression's own name is in no scope CDP lists; the frame still resolves it.
      if (binding.kind === 'self')
        input.self = await evaluate(binding.name, `reading its own name \`${binding.name}\``);
    }
    if (variant.needs.newTarget) input.newTarget = await evaluate('new.target', 'reading `new.target`');
    // The agent finds the method's home object (and a constructor's class) from `this` and new.target.
    if (variant.needs.home || variant.needs.superConstructor) {
      input.owner = {
        home: variant.needs.home,
        superConstructor: variant.needs.superConstructor,
        functionLocation: frame.functionLocation!,
      };
      // Only a constructor's frame (and one that reads it) has new.target to evaluate.
      if (variant.needs.superConstructor) input.newTarget ??= await evaluate('new.target', 'reading `new.target`');
      else if (input.newTarget === undefined) {
        const r = await evaluateOn(cdp, frame, 'new.target');
        if ('value' in r) input.newTarget = add(r.value);
      }
    }
    for (const [i, loop] of variant.loops.entries()) {
      // The loop whose implicit next() is pending gets the resumed generator itself (restore/resumed-frames.ts).
      if (i === variant.needs.pendingNextLoop) {
        input.loops.push(add({ type: 'undefined' }));
        continue;
      }
      const left = loop.left.replace(/^(const|let|var)\s+/, '');
      const helper = loop.kind === 'for-in' ? remainingForInKeys : remainingArrayItems;
      input.loops.push(
        await evaluate(
          `(${helper.toString()})(${loop.right}, ${left})`,
          `the position of the ${loop.kind} loop over \`${loop.right}\``,
        ),
      );
    }
    if (variant.needs.nativeIndexArgument !== undefined) {
      const param = variants[k - 1]?.functionBindings.filter((b) => b.kind === 'param')[
        variant.needs.nativeIndexArgument
      ];
      if (!param)
        throw new FrameRefusedError(
          `frame ${k - 1} (${userFrames[k - 1].functionName || 'anonymous'}): the callback of ${nativeCallback} does not name its index parameter, so its position is unknown; step out of it, or checkpoint at idle`,
          { frame: k - 1, action: 'out' },
        );
      input.nativeIndex = await evaluate(
        param.name,
        `reading the index \`${param.name}\` of the ${nativeCallback} callback`,
        userFrames[k - 1],
      );
    }
    const below = segments.get(k);
    if (below) {
      const segment = await readSegment(below, {
        urlOf,
        sourceOf,
        read: async (on, name) => {
          const r = await evaluateOn(cdp, on, name);
          return 'value' in r ? add(r.value) : undefined;
        },
        above: `frame ${k} (${frame.functionName || 'anonymous'})`,
        refuse: (message) => {
          throw new FrameRefusedError(message, { frame: k, action: 'out' });
        },
      });
      site.calledBy = segment.roles;
      if (segment.values.listeners) input.listeners = segment.values.listeners;
      if (segment.values.afterWrite) input.afterWrite = segment.values.afterWrite;
      if (segment.roles.includes('microtask')) input.microtask = frame.functionLocation;
      running ??= segment.running;
      batchFrom ??= segment.batchFrom;
    }
    sites.push(site);
    inputs.push(input);
  }
  return { sites, inputs, values, scriptIds: [...new Set(sites.map((s) => s.scriptId))], running, batchFrom };
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
      // An async generator's position and its heap must agree on whether it is at an await (and serving a request).
      if (variant.kind === 'async-generator' && variant.needs.awaited !== !!f.awaiting) {
        throw new FrameRefusedError(`${where}: the async generator's position and the promise it awaits do not agree`);
      }
      if (variant.loops.length > 0) site.loops = suspendedLoopStarts(variant, f.loops, where);
      if (f.awaitedUnread && !awaitValueUnused(source, f.location))
        throw new FrameRefusedError(
          `${where}: its await is about to go on with ${f.awaitedUnread}, which a heap snapshot does not show: step on until it has, or checkpoint at idle`,
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
    const { kind, positions } = found[i];
    if (loop.kind === 'for-in') return refuse(loop, 'the position of a for-in loop is out of reach');
    if (loop.kind === 'for-await-of' && kind !== 'iterator')
      return refuse(loop, 'only a for-await loop over a generator (async or not) is carried');
    if (kind !== 'array') return { kind };
    const name = /^(?:const|let)\s+([A-Za-z_$][\w$]*)$/.exec(loop.left.trim())?.[1];
    if (!name)
      return refuse(
        loop,
        `its array position cannot be known from \`${loop.left}\` (a single const or let variable can tell it)`,
      );
    const at = positions?.[name];
    if (at === undefined)
      return refuse(
        loop,
        `its array position cannot be known: the current element \`${name}\` is absent or occurs more than once`,
      );
    return { kind, from: at + 1 };
  });
}

/** Evaluates an expression on a paused frame: its value, or what it threw (first line). */
async function evaluateOn(
  cdp: CdpConnection,
  frame: Protocol.Debugger.CallFrame,
  expression: string,
): Promise<{ value: Protocol.Runtime.RemoteObject } | { error: string }> {
  const r = await cdp.send('Debugger.evaluateOnCallFrame', {
    callFrameId: frame.callFrameId,
    expression,
    silent: true,
  });
  if (r.exceptionDetails)
    return { error: r.exceptionDetails.exception?.description?.split('\n')[0] ?? r.exceptionDetails.text };
  return { value: r.result };
}
