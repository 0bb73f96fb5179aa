// The resume-variant engine: from a function's original source and the point a frame was paused
// at, generate a function that starts executing at that point with restored values.
// Contract for callers (declaring bindings, the `$ferry` object, chaining frames, priming
// generators): see README.md.
import type { Expression, NewExpression, Statement } from 'acorn';
import * as b from './ast';
import {
  findFrameFunction,
  functionBindings,
  jumpTargets,
  walkFrameCode,
  type FrameFunction,
  type FunctionBinding,
  type VariantKind,
} from './frame';
import { findPendingNode } from './locate';
import { planNativeCallback, text, NATIVE_INDEX_ARGUMENT } from './native';
import { locationOf, offsetOf, parseScript, type ParsedScript } from './parse';
import { moduleBodyScript } from './module-body';
import { type Location0 } from '../format/sections';
import { PathError, resumePath, shadowedLoopName, type ResumePath } from './path';
import { firstOffense } from './reeval';
import { ADVICE, ResumeRefusal, type RefusalSite } from './refusal';
import { generatePlaced, originalNodes, type Anchor } from './placed';
import { rewriteFrame, type BlockSlot, type LoopSlot, type RewriteResult } from './rewrite';

export { ADVICE, ResumeRefusal, describeSite } from './refusal';
export type { Location0 } from '../format/sections';
export type { BlockSlot, LoopSlot } from './rewrite';
export type { ArrayLoopPosition } from './loop-positions';
export type { Anchor } from './placed';
export type { FunctionBinding, VariantKind } from './frame';
export { NATIVE_INDEX_ARGUMENT, nativeCallbackAt, type NativeCallSite } from './native';
export { remainingForInKeys, remainingArrayItems, arrayLoopResumeIndex, currentOfArrayLoop } from './loop-positions';

/**
 * - `innermost`: the top frame, paused at a statement or call boundary: its statement runs again.
 * - `caller`: a frame waiting for the call at `location` to return: that call becomes `$ferry.inner()`.
 * - `suspended`: a generator at a `yield` or an async function at an `await`, not on the stack.
 */
export type FrameRole = 'innermost' | 'caller' | 'suspended';

export interface FrameRequest {
  /** The whole script text as V8 has it (Debugger.getScriptSource). */
  source: string;
  /** CallFrame.location, or [[GeneratorLocation]] for a suspended function (0-based). */
  location: Location0;
  role: FrameRole;
  /**
   * Caller frames only: the inner frame is a callback run by this built-in (`forEach`, `map`, ...)
   * called at `location`, not the callee itself. CDP does not show built-in frames.
   */
  nativeCallback?: string;
  /** Caller frames only: where the inner frame's function starts, when it is in this script (0-based). */
  innerFunctionAt?: Location0;
  /** For messages only. */
  url?: string;
  functionName?: string;
  frameIndex?: number;
}

export interface ResumeVariant {
  /** A parenthesized function expression; see README for the scope it must be evaluated in. */
  code: string;
  /** Where the program's nodes stand in `code` and stood in the script: the restore pads `code` to put them back (placed.ts). */
  anchors: Anchor[];
  kind: VariantKind;
  /** An arrow function's frame: its `this` is its scope's, not a receiver's. */
  isArrow: boolean;
  name: string;
  strict: boolean;
  /** Bindings the caller declares (with `let`) in the scope where `code` is evaluated. */
  functionBindings: FunctionBinding[];
  /** `$ferry.blocks[i]` must hold these names' values, one record per slot. */
  blocks: BlockSlot[];
  /** `$ferry.loops[i]` must be an iterator over the remaining iterations of each loop. */
  loops: LoopSlot[];
  /** Which optional `$ferry` members the variant reads. */
  needs: {
    inner: boolean;
    awaited: boolean;
    home: boolean;
    newTarget: boolean;
    superConstructor: boolean;
    /** Which argument of the inner callback frame is the element index (`$ferry.native.index`). */
    nativeIndexArgument?: number;
    /** The loop slot whose implicit next() is the pending call: its iterator's first step is `$ferry.inner()`. */
    pendingNextLoop?: number;
  };
  /** For class members: where `super` resolves (home object is `className.prototype`, or the class if static). */
  classMember?: { className: string | null; isStatic: boolean };
  /**
   * `next-once`: a suspended generator's variant is primed with one next() before use.
   * `serve-request`: an async generator suspended at an `await`: one next() starts it, and what
   * that next() settles to settles the request it was serving.
   */
  priming: 'none' | 'next-once' | 'serve-request';
}

const variants = new WeakMap<ParsedScript, Map<string, ResumeVariant>>();

/** Generates (or returns the cached) resume variant for one frame; throws ResumeRefusal. */
export function generateResumeVariant(request: FrameRequest): ResumeVariant {
  const script = parseScript(request.source);
  const offset = offsetOf(script, request.location);
  const inner = request.innerFunctionAt && offsetOf(script, request.innerFunctionAt);
  const key = `${request.role}:${offset}:${request.nativeCallback ?? ''}:${inner ?? ''}`;
  let perScript = variants.get(script);
  if (!perScript) variants.set(script, (perScript = new Map()));
  const cached = perScript.get(key);
  if (cached) return cached;
  const variant = Object.freeze(build(script, offset, request));
  perScript.set(key, variant);
  return variant;
}

/**
 * Whether V8 reports a call, `new`, `await` or `yield` of the frame at this position. A line
 * breakpoint stops before its statement; a step can stop there after the operands were evaluated
 * (returning from one call of a statement, it stops at the next), which re-running the statement
 * would evaluate again: such a place is not one to resume at.
 */
export function operationPendingAt(source: string, location: Location0): boolean {
  const script = parseScript(source);
  const offset = offsetOf(script, location);
  const pending = findPendingNode(findFrameFunction(script, offset).body, offset, source);
  return pending !== undefined && pending.type !== 'ForOfStatement' && pending.type !== 'MemberExpression';
}

/**
 * Whether the frame's position lies in a `finally` block of its own function. V8 loses a debugger
 * step that leaves such a block by the `return` or `throw` that entered it (the function returns
 * without pausing in its caller), so a step from there needs breakpoints of its own.
 */
export function insideFinally(source: string, location: Location0): boolean {
  const script = parseScript(source);
  const offset = offsetOf(script, location);
  let inside = false;
  b.walkOwn(findFrameFunction(script, offset).body, (node) => {
    const block = node.type === 'TryStatement' ? node.finalizer : null;
    if (block && block.start <= offset && offset < block.end) inside = true;
  });
  return inside;
}

/** What every step of building one frame's variant shares. */
interface VariantBuild {
  script: ParsedScript;
  offset: number;
  request: FrameRequest;
  frame: FrameFunction;
  /** A module's body: the names it imports, bindings its variant is given like its own. */
  imports?: string[];
  refuse(reason: string, advice?: string): never;
}

/** What was paused, and what takes its place in the variant. */
interface Pending {
  replacement?: { node: b.Node; with: Expression };
  /** Nodes the variant evaluates again (a native callback's receiver and arguments). */
  reevaluated: b.Node[];
  /** The pending call is a for-of loop's implicit next(): made by the inner frame, or awaited. */
  pendingNext?: 'inner' | 'awaited';
  awaited: boolean;
  /** Where the code evaluated before the pause ends: the pending node's start, else the paused position. */
  before: number;
}

const DERIVED_FIELDS =
  'the derived class declares fields, which V8 initializes right after super() returns; the restored constructor cannot run them in its place';

function build(script: ParsedScript, offset: number, request: FrameRequest): ResumeVariant {
  const v = moduleBodyBuild(startBuild(script, offset, request));
  const path = pathToPause(v);
  const pending: Pending =
    request.role === 'innermost' ? { reevaluated: [], awaited: false, before: offset } : pendingAt(v, path);
  refuseEvaluatingAgain(v, path, pending);
  const result = rewriteFrame({
    frame: v.frame,
    path,
    source: script.source,
    jumpTargets: jumpTargets(v.frame),
    replacement: pending.replacement,
    pendingNext: pending.pendingNext,
    locate: (o) => locationOf(script, o),
  });
  const constructorOf = v.frame.constructorOf;
  if (constructorOf?.derived && result.uses.superConstructor && hasInstanceFields(constructorOf.body))
    v.refuse(DERIVED_FIELDS, ADVICE.stepOut);
  return variantOf(v, pending, result);
}

/** The frame's function, and the refusals its position alone decides. */
function startBuild(script: ParsedScript, offset: number, request: FrameRequest): VariantBuild {
  const frame = findFrameFunction(script, offset);
  const site: RefusalSite = {
    url: request.url,
    functionName: request.functionName ?? frame.name,
    frameIndex: request.frameIndex,
    ...request.location,
  };
  const refuse = (reason: string, advice: string = ADVICE.step): never => {
    throw new ResumeRefusal(site, reason, advice);
  };
  if (frame.inClassInitializer)
    refuse(
      'the frame is a class field initializer or static block, which V8 runs as a hidden function that cannot be re-entered',
      ADVICE.stepOut,
    );
  if (frame.node.type !== 'Program' && frame.node.params.some((p) => p.start <= offset && offset < p.end)) {
    refuse('the frame is still evaluating its default parameter values', ADVICE.stepOut);
  }
  return { script, offset, request, frame, refuse };
}

/** A module's body (at a top-level await) is built from its text without import and export syntax. */
function moduleBodyBuild(v: VariantBuild): VariantBuild {
  if (!v.frame.isProgram || !v.script.isModule) return v;
  const body = moduleBodyScript(v.script, v.offset);
  if (typeof body === 'string') return v.refuse(body, ADVICE.step);
  return { ...startBuild(body.script, v.offset, v.request), imports: body.imports };
}

function pathToPause(v: VariantBuild): ResumePath {
  try {
    return resumePath(v.frame.body, v.offset);
  } catch (error) {
    if (error instanceof PathError) return v.refuse(error.message, ADVICE.step);
    throw error;
  }
}

/** A caller's or a suspended function's pending call, yield or await, and what the variant does in its place. */
function pendingAt(v: VariantBuild, path: ResumePath): Pending {
  const { request, script, frame } = v;
  const node = findPendingNode(frame.body, v.offset, script.source);
  if (!node)
    return v.refuse(
      `no call, yield or await of this function is at the reported position ${request.location.line + 1}:${request.location.column + 1}`,
      ADVICE.step,
    );
  const pending = request.role === 'suspended' ? suspendedAt(v, node) : callerAt(v, node, path);
  if (
    frame.constructorOf?.derived &&
    hasInstanceFields(frame.constructorOf.body) &&
    node.type === 'CallExpression' &&
    node.callee.type === 'Super'
  ) {
    v.refuse(DERIVED_FIELDS, ADVICE.stepOut);
  }
  return { reevaluated: [], awaited: false, before: node.start, ...pending };
}

type PendingPart = Omit<Pending, 'before' | 'reevaluated' | 'awaited'> & Partial<Pending>;

/** A generator at a `yield`, or an async function (or generator) at an `await`. */
function suspendedAt(v: VariantBuild, node: b.Node): PendingPart {
  if (node.type === 'YieldExpression') {
    if (node.delegate)
      v.refuse(
        'the generator is suspended inside `yield*`, whose delegate iterator cannot be re-attached without resuming it',
        ADVICE.idle,
      );
    const resumed = { type: 'YieldExpression', argument: null, delegate: false, start: 0, end: 0 } as Expression;
    return { replacement: { node, with: resumed } };
  }
  if (node.type === 'AwaitExpression') {
    // (An async generator awaiting inside its body is serving a next(): restore starts it with one.)
    const resumed = { type: 'AwaitExpression', argument: b.expr('$ferry.awaited'), start: 0, end: 0 } as Expression;
    return { awaited: true, replacement: { node, with: resumed } };
  }
  // At the loop's implicit await of next(): that next()'s promise is what it awaits.
  if (node.type === 'ForOfStatement' && node.await) return { awaited: true, pendingNext: 'awaited' };
  return v.refuse(`a suspended function must be at a yield or await, found \`${text(node, v.script.source)}\``);
}

/** A caller waiting for the call at its position: the call becomes `$ferry.inner()`. */
function callerAt(v: VariantBuild, node: b.Node, path: ResumePath): PendingPart {
  const { request, script } = v;
  if (request.nativeCallback) {
    const plan = planNativeCallback(node, request.nativeCallback, script.source);
    if (!plan.ok) return v.refuse(plan.reason, ADVICE.stepOut);
    return { replacement: { node, with: plan.replacement }, reevaluated: plan.reevaluated };
  }
  if (node.type === 'NewExpression' && (isPromiseCallee(node.callee) || runsAnArgument(v, node))) {
    // The inner frame is its executor: what `new Promise` gives is the promise, not what the executor returns.
    return v.refuse(
      'the inner frame is the executor of this `new Promise`, whose promise the resumed caller could not be given',
      'step out of the executor and checkpoint there, or checkpoint at idle',
    );
  }
  if (node.type === 'ForOfStatement') {
    if (node.await) v.refuse('the pending call is the implicit next() of a `for await` loop', ADVICE.step);
    return { pendingNext: 'inner' };
  }
  if (node.type === 'AssignmentExpression') {
    const parent = path.nodes[path.nodes.length - 1];
    if (!(parent.type === 'ExpressionStatement' && parent.expression === node))
      v.refuse(`the pending call is a setter whose assignment \`${text(node, script.source)}\` is used as a value`);
  }
  const isSuper = node.type === 'CallExpression' && node.callee.type === 'Super';
  // A plain call, its callee standing where V8 located the pending call: a stack names that place.
  const called = b.call({ ...b.id(INNER), start: v.offset, end: v.offset + 1 }, []);
  return { replacement: { node, with: isSuper ? b.assign(b.id('$this'), called) : called } };
}

function isPromiseCallee(callee: b.Node): boolean {
  return callee.type === 'Identifier' && callee.name === 'Promise';
}

/**
 * Whether the inner frame is a function written among the `new` expression's arguments: no frame of
 * the program's stands between them, so a built-in constructor runs it (TypeScript's __awaiter writes
 * `new (P || (P = Promise))(function (resolve, reject) { ... })`).
 */
function runsAnArgument(v: VariantBuild, node: NewExpression): boolean {
  const at = v.request.innerFunctionAt;
  if (!at) return false;
  const offset = offsetOf(v.script, at);
  return node.arguments.some((argument) => argument.start <= offset && offset < argument.end);
}

/** Refuses when the variant would find its loop by a hidden name, or evaluate again what cannot be. */
function refuseEvaluatingAgain(v: VariantBuild, path: ResumePath, pending: Pending): void {
  const { script, frame } = v;
  const shadowed = shadowedLoopName(path);
  if (shadowed) {
    const at = locationOf(script, shadowed.loop.start);
    v.refuse(
      `the loop at ${at.line + 1}:${at.column + 1} finds its position by reading \`${shadowed.name}\`, which a declaration inside it hides here`,
      ADVICE.step,
    );
  }
  const { replacement, reevaluated, before } = pending;
  const offense = firstOffense(script, frame.node, path.segment, before, replacement?.node ?? null, reevaluated);
  if (offense) {
    const at = locationOf(script, offense.node.start);
    const what = replacement ? `the pending \`${text(replacement.node, script.source, 40)}\`` : 'the paused position';
    v.refuse(
      `\`${text(offense.node, script.source, 40)}\` (${at.line + 1}:${at.column + 1}) was evaluated before ${what} and cannot be evaluated again: it ${offense.why}`,
      ADVICE.step,
    );
  }
}

/** The variant: the rewritten body in a function named after the frame's, and what its caller must give it. */
function variantOf(v: VariantBuild, pending: Pending, result: RewriteResult): ResumeVariant {
  const { frame, request, script } = v;
  const name = `${frame.name.replace(/[^\w$]/g, '_')}$resume`;
  const fn = variantFunction(frame, name, result.body, request.role === 'caller') as b.Node;
  const placed = generatePlaced(fn, script.source, originalNodes(frame.node), (o) => locationOf(script, o));
  return {
    code: `(${placed.code})`,
    anchors: placed.anchors.map((anchor) => ({ ...anchor, offset: anchor.offset + 1 })),
    kind: frame.kind,
    isArrow: frame.isArrow,
    name,
    strict: frame.strict,
    functionBindings: [
      ...(v.imports ?? []).map((name): FunctionBinding => ({ name, kind: 'const' })),
      ...functionBindings(frame, script.source),
    ],
    blocks: result.blocks,
    loops: result.loops,
    needs: {
      inner: request.role === 'caller',
      awaited: pending.awaited,
      home: result.uses.home,
      newTarget: result.uses.newTarget || usesNewTarget(frame),
      superConstructor: result.uses.superConstructor,
      ...(request.nativeCallback ? { nativeIndexArgument: NATIVE_INDEX_ARGUMENT[request.nativeCallback] } : {}),
      ...(pending.pendingNext === 'inner' ? { pendingNextLoop: result.loops.length - 1 } : {}),
    },
    ...(frame.classMember ? { classMember: frame.classMember } : {}),
    priming: priming(request.role, frame.kind, pending),
  };
}

/** The pending call's replacement calls the inner frame by this name (the variant's own constant). */
const INNER = '$ferryInner';

/** `function name$resume($ferry) { ... }`, async or generator as the original. */
function variantFunction(frame: FrameFunction, name: string, body: Statement[], caller: boolean): object {
  const prologue: Statement[] = [];
  if (frame.strict) prologue.push(b.exprStmt(b.literal('use strict')));
  if (caller) prologue.push(b.declare('const', [[b.id(INNER), b.expr('$ferry.inner')]]));
  if (frame.constructorOf?.derived) prologue.push(b.declare('let', [[b.id('$this'), b.expr('this')]]));
  const epilogue: Statement[] = frame.constructorOf
    ? [
        {
          type: 'ReturnStatement',
          argument: b.id(frame.constructorOf.derived ? '$this' : 'this'),
          start: 0,
          end: 0,
        } as unknown as Statement,
      ]
    : [];
  return {
    type: 'FunctionExpression',
    id: b.id(name),
    params: [b.id('$ferry')],
    start: 0,
    end: 0,
    async: frame.kind === 'async' || frame.kind === 'async-generator',
    generator: frame.kind === 'generator' || frame.kind === 'async-generator',
    body: b.block([...prologue, ...body, ...epilogue]),
  };
}

function priming(role: FrameRole, kind: VariantKind, pending: Pending): ResumeVariant['priming'] {
  if (role !== 'suspended') return 'none';
  if (pending.replacement?.node.type === 'YieldExpression') return 'next-once';
  return kind === 'async-generator' ? 'serve-request' : 'none';
}

function hasInstanceFields(body: { body: b.Node[] }): boolean {
  return body.body.some(
    (m) =>
      (m.type === 'PropertyDefinition' && !m.static) ||
      (m.type === 'MethodDefinition' && m.key.type === 'PrivateIdentifier' && !m.static),
  );
}

function usesNewTarget(frame: FrameFunction): boolean {
  let used = false;
  walkFrameCode(frame, (n) => {
    if (n.type === 'MetaProperty' && n.meta.name === 'new') used = true;
  });
  return used;
}
