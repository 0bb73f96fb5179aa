// The resume-variant engine: from a function's original source and the point a frame was paused
// at, generate a function that starts executing at that point with restored values.
// Contract for callers (declaring bindings, the `$ferry` object, chaining frames, priming
// generators): see README.md.
import { generate } from 'astring';
import type { Expression, Statement } from 'acorn';
import * as b from './ast';
import {
  findFrameFunction,
  functionBindings,
  jumpTargets,
  walkFrameCode,
  type FunctionBinding,
  type VariantKind,
} from './frame';
import { findPendingNode } from './locate';
import { planNativeCallback, text, NATIVE_INDEX_ARGUMENT } from './native';
import { locationOf, offsetOf, parseScript, type ParsedScript } from './parse';
import { type Location0 } from '../format/sections';
import { PathError, resumePath, shadowedLoopName } from './path';
import { firstOffense } from './reeval';
import { ADVICE, ResumeRefusal, type RefusalSite } from './refusal';
import { rewriteFrame, type BlockSlot, type LoopSlot } from './rewrite';

export { ADVICE, ResumeRefusal, describeSite } from './refusal';
export type { Location0 } from '../format/sections';
export type { BlockSlot, LoopSlot } from './rewrite';
export type { FunctionBinding, VariantKind } from './frame';
export { NATIVE_INDEX_ARGUMENT, nativeCallbackAt } from './native';
export { remainingForInKeys, remainingArrayItems } from './loop-positions';

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
  /** For messages only. */
  url?: string;
  functionName?: string;
  frameIndex?: number;
}

export interface ResumeVariant {
  /** A parenthesized function expression; see README for the scope it must be evaluated in. */
  code: string;
  kind: VariantKind;
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
  const key = `${request.role}:${offset}:${request.nativeCallback ?? ''}`;
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

function build(script: ParsedScript, offset: number, request: FrameRequest): ResumeVariant {
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

  let path;
  try {
    path = resumePath(frame.body, offset);
  } catch (error) {
    if (error instanceof PathError) return refuse(error.message, ADVICE.step);
    throw error;
  }

  // What was paused, and what takes its place in the variant.
  let replacement: { node: b.Node; with: Expression } | undefined;
  let reevaluated: b.Node[] = [];
  let pendingNext: 'inner' | 'awaited' | undefined;
  let awaited = false;
  let before = offset;
  if (request.role !== 'innermost') {
    const pending = findPendingNode(frame.body, offset, script.source);
    if (!pending)
      refuse(
        `no call, yield or await of this function is at the reported position ${request.location.line + 1}:${request.location.column + 1}`,
        ADVICE.step,
      );
    const node = pending!;
    before = node.start;
    if (request.role === 'suspended') {
      if (node.type === 'YieldExpression') {
        if (node.delegate)
          refuse(
            'the generator is suspended inside `yield*`, whose delegate iterator cannot be re-attached without resuming it',
            ADVICE.idle,
          );
        replacement = {
          node,
          with: { type: 'YieldExpression', argument: null, delegate: false, start: 0, end: 0 } as Expression,
        };
      } else if (node.type === 'AwaitExpression') {
        // (An async generator awaiting inside its body is serving a next(): restore starts it with one.)
        awaited = true;
        replacement = {
          node,
          with: { type: 'AwaitExpression', argument: b.expr('$ferry.awaited'), start: 0, end: 0 } as Expression,
        };
      } else if (node.type === 'ForOfStatement' && node.await) {
        // At the loop's implicit await of next(): that next()'s promise is what it awaits.
        awaited = true;
        pendingNext = 'awaited';
      } else refuse(`a suspended function must be at a yield or await, found \`${text(node, script.source)}\``);
    } else if (request.nativeCallback) {
      const plan = planNativeCallback(node, request.nativeCallback, script.source);
      if (!plan.ok) return refuse(plan.reason, ADVICE.stepOut);
      replacement = { node, with: plan.replacement };
      reevaluated = plan.reevaluated;
    } else if (node.type === 'NewExpression' && node.callee.type === 'Identifier' && node.callee.name === 'Promise') {
      // The inner frame is its executor: what `new Promise` gives is the promise, not what the executor returns.
      refuse(
        'the inner frame is the executor of this `new Promise`, whose promise the resumed caller could not be given',
        'step out of the executor and checkpoint there, or checkpoint at idle',
      );
    } else if (node.type === 'ForOfStatement') {
      if (node.await) refuse('the pending call is the implicit next() of a `for await` loop', ADVICE.step);
      pendingNext = 'inner';
    } else if (node.type === 'AssignmentExpression') {
      const parent = path.nodes[path.nodes.length - 1];
      if (!(parent.type === 'ExpressionStatement' && parent.expression === node))
        refuse(`the pending call is a setter whose assignment \`${text(node, script.source)}\` is used as a value`);
      replacement = { node, with: b.expr('$ferry.inner()') };
    } else if (node.type === 'CallExpression' && node.callee.type === 'Super') {
      replacement = { node, with: b.expr('$this = $ferry.inner()') };
    } else {
      replacement = { node, with: b.expr('$ferry.inner()') };
    }
    if (
      frame.constructorOf?.derived &&
      hasInstanceFields(frame.constructorOf.body) &&
      node.type === 'CallExpression' &&
      node.callee.type === 'Super'
    ) {
      refuse(
        'the derived class declares fields, which V8 initializes right after super() returns; the restored constructor cannot run them in its place',
        ADVICE.stepOut,
      );
    }
  }

  const shadowed = shadowedLoopName(path);
  if (shadowed) {
    const at = locationOf(script, shadowed.loop.start);
    refuse(
      `the loop at ${at.line + 1}:${at.column + 1} finds its position by reading \`${shadowed.name}\`, which a declaration inside it hides here`,
      ADVICE.step,
    );
  }

  const offense = firstOffense(script, frame.node, path.segment, before, replacement?.node ?? null, reevaluated);
  if (offense) {
    const at = locationOf(script, offense.node.start);
    const what = replacement ? `the pending \`${text(replacement.node, script.source, 40)}\`` : 'the paused position';
    refuse(
      `\`${text(offense.node, script.source, 40)}\` (${at.line + 1}:${at.column + 1}) was evaluated before ${what} and cannot be evaluated again: it ${offense.why}`,
      ADVICE.step,
    );
  }

  const result = rewriteFrame({
    frame,
    path,
    source: script.source,
    jumpTargets: jumpTargets(frame),
    replacement,
    pendingNext,
    locate: (o) => locationOf(script, o),
  });
  if (frame.constructorOf?.derived && result.uses.superConstructor && hasInstanceFields(frame.constructorOf.body)) {
    refuse(
      'the derived class declares fields, which V8 initializes right after super() returns; the restored constructor cannot run them in its place',
      ADVICE.stepOut,
    );
  }

  const prologue: Statement[] = [];
  if (frame.strict) prologue.push(b.exprStmt(b.literal('use strict')));
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
  const name = `${frame.name.replace(/[^\w$]/g, '_')}$resume`;
  const fn = {
    type: 'FunctionExpression',
    id: b.id(name),
    params: [b.id('$ferry')],
    start: 0,
    end: 0,
    async: frame.kind === 'async' || frame.kind === 'async-generator',
    generator: frame.kind === 'generator' || frame.kind === 'async-generator',
    body: b.block([...prologue, ...result.body, ...epilogue]),
  };
  return {
    code: `(${generate(fn as never)})`,
    kind: frame.kind,
    name,
    strict: frame.strict,
    functionBindings: functionBindings(frame, script.source),
    blocks: result.blocks,
    loops: result.loops,
    needs: {
      inner: request.role === 'caller',
      awaited,
      home: result.uses.home,
      newTarget: result.uses.newTarget || usesNewTarget(frame),
      superConstructor: result.uses.superConstructor,
      ...(request.nativeCallback ? { nativeIndexArgument: NATIVE_INDEX_ARGUMENT[request.nativeCallback] } : {}),
      ...(pendingNext === 'inner' ? { pendingNextLoop: result.loops.length - 1 } : {}),
    },
    ...(frame.classMember ? { classMember: frame.classMember } : {}),
    priming:
      request.role !== 'suspended'
        ? 'none'
        : replacement?.node.type === 'YieldExpression'
          ? 'next-once'
          : frame.kind === 'async-generator'
            ? 'serve-request'
            : 'none',
  };
}

function hasInstanceFields(body: { body: b.Node[] }): boolean {
  return body.body.some(
    (m) =>
      (m.type === 'PropertyDefinition' && !m.static) ||
      (m.type === 'MethodDefinition' && m.key.type === 'PrivateIdentifier' && !m.static),
  );
}

function usesNewTarget(frame: ReturnType<typeof findFrameFunction>): boolean {
  let used = false;
  walkFrameCode(frame, (n) => {
    if (n.type === 'MetaProperty' && n.meta.name === 'new') used = true;
  });
  return used;
}
