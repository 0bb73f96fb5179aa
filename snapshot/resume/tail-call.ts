// Whether a frame of Node's own code, waiting on a call, does nothing more once that call returns.
// Such a frame below the program's frames needs no resuming: when the program's outermost frame
// returns, the restored process returns to its event loop just as that frame would have. Decided
// on the source, conservatively: anything that may run after the call (a loop around it, a
// `finally`, a `catch` it can throw into, a later statement, its value used) makes it not a tail.
import { childrenOf, isFunction, type Node } from './ast';
import { v8Position } from './locate';
import { offsetOf, parseScript } from './parse';
import type { Location0 } from '../format/sections';

/**
 * Whether the call V8 reports at `at` is the last thing its function does: `value` when the
 * function returns the call's value, `nothing` when it drops it and returns undefined, undefined
 * when more may run after the call.
 */
export function tailCallAt(source: string, at: Location0): 'value' | 'nothing' | undefined {
  const script = parseScript(source);
  const path = pathTo(script.program, offsetOf(script, at), source);
  if (!path) return undefined;
  let k = path.length - 1;
  // The call's value: dropped by an expression statement, or returned (an arrow's body, `return f()`).
  const parent = path[k - 1];
  if (!parent) return undefined;
  if (isFunction(parent)) return parent.body === path[k] && noHandlerAround(path, k) ? 'value' : undefined;
  if (parent.type === 'ReturnStatement') return noHandlerAround(path, k) ? 'value' : undefined;
  if (parent.type !== 'ExpressionStatement') return undefined;
  // Then nothing after its statement, up to the end of the function.
  for (k -= 1; k > 0; k--) {
    const statement = path[k];
    const holder = path[k - 1];
    if (holder.type === 'BlockStatement') {
      if (!isLastOrReturn(holder.body, statement)) return undefined;
      if (k >= 2 && isFunction(path[k - 2])) return noHandlerAround(path, k) ? 'nothing' : undefined;
    } else if (holder.type !== 'IfStatement' && holder.type !== 'LabeledStatement') return undefined;
  }
  return undefined;
}

/** Whether the `await` V8 reports at `at` is a statement of its own (`await sleep(10);`): its value goes unused. */
export function awaitValueUnused(source: string, at: Location0): boolean {
  const script = parseScript(source);
  const offset = offsetOf(script, at);
  let unused = false;
  const visit = (node: Node, parent: Node | null): void => {
    if (offset < node.start || offset > node.end) return;
    if (node.type === 'AwaitExpression' && node.start === offset) unused = parent?.type === 'ExpressionStatement';
    for (const child of childrenOf(node)) visit(child, node);
  };
  visit(script.program, null);
  return unused;
}

/** `statement` ends `body`, or only a bare `return;` follows it. */
function isLastOrReturn(body: Node[], statement: Node): boolean {
  const i = body.indexOf(statement);
  const rest = body.slice(i + 1);
  return (
    i >= 0 && (rest.length === 0 || (rest.length === 1 && rest[0].type === 'ReturnStatement' && !rest[0].argument))
  );
}

/** No `try` of the function around path[k] (its catch or finally would run after, or instead of, returning). */
function noHandlerAround(path: Node[], k: number): boolean {
  for (let i = k - 1; i >= 0 && !isFunction(path[i]); i--) if (path[i].type === 'TryStatement') return false;
  return true;
}

/** The nodes from the root to the call V8 reports at `offset` (the call last). */
function pathTo(root: Node, offset: number, source: string): Node[] | undefined {
  const path: Node[] = [];
  const visit = (node: Node): boolean => {
    if (offset < node.start || offset > node.end) return false;
    path.push(node);
    if ((node.type === 'CallExpression' || node.type === 'NewExpression') && v8Position(node, source) === offset)
      return true;
    for (const child of childrenOf(node)) if (visit(child)) return true;
    path.pop();
    return false;
  };
  return visit(root) ? unwrapChain(path) : undefined;
}

/** `a?.b()` is a call inside a ChainExpression: the chain stands for the call. */
function unwrapChain(path: Node[]): Node[] {
  const last = path.length - 1;
  return path[last - 1]?.type === 'ChainExpression' ? path.slice(0, last) : path;
}
