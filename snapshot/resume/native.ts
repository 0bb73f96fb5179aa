// A caller frame whose inner frame is a callback run by a built-in (arr.forEach(cb) -> cb): the
// built-in's own frame is invisible to CDP, so the pending call is replaced by code that finishes
// the built-in's work from the callback's index. Only built-ins whose progress is fully
// determined by (receiver, callback, index, the inner frame's result) are supported.
import type { CallExpression, Expression } from 'acorn';
import * as b from './ast';
import { walkOwn, type Node } from './ast';

/** Which argument of the callback holds the element index, per supported method. */
export const NATIVE_INDEX_ARGUMENT: Record<string, number> = {
  forEach: 1,
  map: 1,
  filter: 1,
  some: 1,
  every: 1,
  find: 1,
  findIndex: 1,
  reduce: 2,
};

// Each helper gets (receiver, callback, thisArg, index) and returns what the built-in would.
// `$v` is the inner frame's result for element `i`; elements after it are visited as the spec says.
const LOOP = 'for (let j = i + 1; j < r.length; j++)';
const HELPERS: Record<string, string> = {
  forEach: `(r, f, t, i) => { $ferry.inner(); ${LOOP} if (j in r) f.call(t, r[j], j, r); }`,
  some: `(r, f, t, i) => { if ($ferry.inner()) return true; ${LOOP} if (j in r && f.call(t, r[j], j, r)) return true; return false; }`,
  every: `(r, f, t, i) => { if (!$ferry.inner()) return false; ${LOOP} if (j in r && !f.call(t, r[j], j, r)) return false; return true; }`,
  find: `(r, f, t, i) => { if ($ferry.inner()) return r[i]; ${LOOP} if (f.call(t, r[j], j, r)) return r[j]; return undefined; }`,
  findIndex: `(r, f, t, i) => { if ($ferry.inner()) return i; ${LOOP} if (f.call(t, r[j], j, r)) return j; return -1; }`,
  reduce: `(r, f, t, i) => { let acc = $ferry.inner(); ${LOOP} if (j in r) acc = f(acc, r[j], j, r); return acc; }`,
  // The built-in's partial result array is invisible; earlier elements are recomputed, which
  // is honest only because the callback was checked to be side-effect free.
  map: `(r, f, t, i) => { const v = $ferry.inner(); const a = new Array(r.length); for (let j = 0; j < i; j++) if (j in r) a[j] = f.call(t, r[j], j, r); a[i] = v; ${LOOP} if (j in r) a[j] = f.call(t, r[j], j, r); return a; }`,
  filter: `(r, f, t, i) => { const v = $ferry.inner(); const a = []; for (let j = 0; j < i; j++) if (j in r && f.call(t, r[j], j, r)) a.push(r[j]); if (v) a.push(r[i]); ${LOOP} if (j in r && f.call(t, r[j], j, r)) a.push(r[j]); return a; }`,
};

const RECOMPUTES = new Set(['map', 'filter']);

/** Built-ins that call back but whose progress no debugger can read (refused when met). */
const OTHER_CALLBACK_BUILTINS = new Set([
  'sort',
  'replace',
  'replaceAll',
  'flatMap',
  'reduceRight',
  'findLast',
  'findLastIndex',
  'parse',
]);

/** A call site the inner frame may be a built-in's callback from: the method and its plain member callee. */
export interface NativeCallSite {
  method: string;
  /** `renderer.parse`, `this.items.map`: a member chain whose evaluation reads properties only; absent otherwise. */
  callee?: string;
}

/**
 * The built-in a caller frame paused at `xs.forEach(...)` may be waiting on, when its inner frame
 * (named `innerName`) is not that method itself but a callback it runs. 0-based location.
 */
export function nativeCallbackAt(
  source: string,
  at: { line: number; column: number },
  innerName: string,
): NativeCallSite | undefined {
  const line = source.split('\n')[at.line] ?? '';
  const method = /^[A-Za-z]+(?=\s*\()/.exec(line.slice(at.column))?.[0];
  if (!method || innerName === method || innerName.endsWith(`.${method}`)) return undefined;
  if (!(method in NATIVE_INDEX_ARGUMENT) && !OTHER_CALLBACK_BUILTINS.has(method)) return undefined;
  const receiver = /([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\.\s*$/.exec(line.slice(0, at.column))?.[1];
  return { method, callee: receiver && `${receiver}.${method}` };
}

export type NativePlan = { ok: true; replacement: Expression; reevaluated: Node[] } | { ok: false; reason: string };

export function planNativeCallback(call: Node, method: string, source: string): NativePlan {
  const helper = HELPERS[method];
  if (!helper)
    return {
      ok: false,
      reason: `the inner frame is a callback run by the built-in \`${method}\`, which keeps its progress where no debugger can read it`,
    };
  if (
    call.type !== 'CallExpression' ||
    call.callee.type !== 'MemberExpression' ||
    call.arguments.some((a) => a.type === 'SpreadElement')
  ) {
    return {
      ok: false,
      reason: `the inner frame is a callback run by \`${method}\`, but the call \`${text(call, source)}\` is not of the form receiver.${method}(callback, ...)`,
    };
  }
  const { callee, arguments: args } = call as CallExpression & { callee: { object: Expression } };
  const callback = args[0] as Expression | undefined;
  if (!callback) return { ok: false, reason: `\`${text(call, source)}\` has no callback` };
  if (RECOMPUTES.has(method) && !isPureCallback(callback)) {
    return {
      ok: false,
      reason: `the inner frame is a callback run by \`${method}\`, whose partly built result array is invisible; it could only be recomputed from a side-effect-free inline callback, and \`${text(callback, source)}\` is not one`,
    };
  }
  const thisArg = method === 'reduce' ? b.id('undefined') : ((args[1] as Expression | undefined) ?? b.id('undefined'));
  const replacement = b.call(b.expr(`(${helper})`), [callee.object, callback, thisArg, b.expr('$ferry.native.index')]);
  return { ok: true, replacement, reevaluated: [callee.object, ...args] as Node[] };
}

/** An inline function whose body neither calls, constructs, assigns outer state, nor suspends. */
function isPureCallback(fn: Node): boolean {
  if (fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') return false;
  let pure = true;
  walkOwn(fn.body, (n) => {
    if (
      n.type === 'CallExpression' ||
      n.type === 'NewExpression' ||
      n.type === 'TaggedTemplateExpression' ||
      n.type === 'AwaitExpression' ||
      n.type === 'YieldExpression' ||
      n.type === 'UpdateExpression' ||
      n.type === 'AssignmentExpression' ||
      (n.type === 'UnaryExpression' && n.operator === 'delete')
    )
      pure = false;
    if (n !== fn.body && (n.type === 'ArrowFunctionExpression' || n.type === 'FunctionExpression')) pure = false;
  });
  return pure;
}

export function text(node: Node, source: string, max = 60): string {
  const t = source.slice(node.start, node.end).replace(/\s+/g, ' ');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
