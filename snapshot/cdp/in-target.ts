// Code of Ferry's that runs inside the target is written as real functions and sent as text.

/**
 * The URL of Ferry's bundles in the target (`//# sourceURL`): a debugger step landing in their code
 * (a microtask probe the agent queued) is not at a place of the program's (capture/index.ts steps
 * on past it).
 */
export const IN_TARGET_URL = 'ferry:in-target';

/** A function written to run inside the target: only its text crosses, so it may take any `this`. */
export type TargetFunction = (this: never, ...args: never[]) => unknown;

/**
 * The expression that calls `fn` in the target with `args`: JSON values, or self-contained
 * functions (sent as their source, as `fn` is). `fn` is serialised with toString(), so it must be
 * self-contained. Transpilers that keep function names (tsx in the tests, esbuild's keepNames)
 * wrap a function's inner named functions in a `__name` helper the target does not have: a
 * stand-in that leaves them as they are is given.
 */
export function callInTarget(fn: TargetFunction, ...args: unknown[]): string {
  const sent = args.map((arg) => (typeof arg === 'function' ? `(${arg.toString()})` : JSON.stringify(arg)));
  return `((__name) => (${fn.toString()})(${sent.join(', ')}))((f) => f)`;
}

/**
 * As callInTarget, for a function whose first argument makes one of Ferry's bundles in the target
 * (dist/agent.js: an iife that assigns its exports to `name`), passed as a function that runs it.
 */
export function callInTargetWithBundle(
  fn: (...args: never[]) => unknown,
  bundle: { source: string; name: string },
  ...args: unknown[]
): string {
  const make = `function () { ${bundle.source}; return ${bundle.name}; }`;
  return `((__name) => (${fn.toString()})(${[make, ...args.map((arg) => JSON.stringify(arg))].join(', ')}))((f) => f)\n//# sourceURL=${IN_TARGET_URL}`;
}
