// Generic AST plumbing shared by the resume engine: child traversal with structural sharing,
// node builders, and the binding names a declaration or pattern introduces.
import {
  parseExpressionAt,
  type AnyNode,
  type ArrowFunctionExpression,
  type Expression,
  type FunctionDeclaration,
  type FunctionExpression,
  type Pattern,
  type Statement,
} from 'acorn';

export type Node = AnyNode;

export function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

export type FunctionLike = FunctionDeclaration | FunctionExpression | ArrowFunctionExpression;

export function isFunction(node: Node): node is FunctionLike {
  return (
    node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression'
  );
}

/** Direct child nodes, in source order of their fields. */
export function childrenOf(node: Node): Node[] {
  const out: Node[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc') continue;
    if (Array.isArray(value))
      for (const item of value) {
        if (isNode(item)) out.push(item);
      }
    else if (isNode(value)) out.push(value);
  }
  return out;
}

/** Rebuilds `node` with each child replaced by `map(child)`; untouched subtrees are shared. */
export function mapChildren<T extends Node>(node: T, map: (child: Node) => Node | null): T {
  let copy: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(node)) {
    let next: unknown = value;
    if (Array.isArray(value)) {
      // A child mapped to null is dropped; a hole that was null already (`[, x]`, `[a, , b]`) stays.
      const mapped = value.flatMap((item) => {
        if (!isNode(item)) return [item];
        const replaced = map(item);
        return replaced === null ? [] : [replaced];
      });
      if (mapped.length !== value.length || mapped.some((item, i) => item !== value[i])) next = mapped;
    } else if (isNode(value)) next = map(value);
    if (next !== value) (copy ??= { ...node })[key] = next;
  }
  return (copy ?? node) as T;
}

/** Visits every node of the function's own code: nested functions are reported but not entered. */
export function walkOwn(root: Node, visit: (node: Node, parent: Node | null) => void): void {
  const stack: Array<[Node, Node | null]> = [[root, null]];
  while (stack.length) {
    const [node, parent] = stack.pop()!;
    visit(node, parent);
    if (node !== root && (isFunction(node) || node.type === 'ClassBody')) continue;
    const kids = childrenOf(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i], node]);
  }
}

/** Identifier names in code under `root`, nested functions included; not property names after a dot. */
export function identifiersIn(root: Node): Set<string> {
  const names = new Set<string>();
  const visit = (node: Node, parent: Node | null): void => {
    if (
      node.type === 'Identifier' &&
      !(parent?.type === 'MemberExpression' && parent.property === node && !parent.computed)
    )
      names.add(node.name);
    for (const child of childrenOf(node)) visit(child, node);
  };
  visit(root, null);
  return names;
}

/** Names bound by a binding pattern (params, declarators, catch params, for-in/of heads). */
export function patternNames(pattern: Pattern | Node | null | undefined, out: string[] = []): string[] {
  if (!pattern) return out;
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern.name);
      break;
    case 'ObjectPattern':
      for (const p of pattern.properties) patternNames(p.type === 'RestElement' ? p.argument : p.value, out);
      break;
    case 'ArrayPattern':
      for (const e of pattern.elements) patternNames(e, out);
      break;
    case 'RestElement':
      patternNames(pattern.argument, out);
      break;
    case 'AssignmentPattern':
      patternNames(pattern.left, out);
      break;
    default:
      break;
  }
  return out;
}

// ---- builders (positions are irrelevant to the generator, so they are zero) ----
const at = { start: 0, end: 0 };
export const id = (name: string) => ({ type: 'Identifier', name, ...at }) as unknown as Expression & Pattern;
/** Parses a fixed expression snippet; keeps generated glue readable instead of node soup. */
export const expr = (code: string) =>
  withoutPositions(
    parseExpressionAt(code, 0, { ecmaVersion: 'latest', allowAwaitOutsideFunction: true }),
  ) as Expression;

/** A snippet's offsets are into the snippet: zeroed, so that only the program's nodes carry positions (placed.ts). */
function withoutPositions(root: Node): Node {
  const stack = [root];
  while (stack.length) {
    const node = stack.pop()!;
    Object.assign(node, at);
    stack.push(...childrenOf(node));
  }
  return root;
}
export const exprStmt = (expression: Expression) => ({ type: 'ExpressionStatement', expression, ...at }) as Statement;
export const block = (body: Statement[]) => ({ type: 'BlockStatement', body, ...at }) as Statement;
export const labeled = (label: string, body: Statement) =>
  ({ type: 'LabeledStatement', label: id(label), body, ...at }) as Statement;
export const breakTo = (label: string) => ({ type: 'BreakStatement', label: id(label), ...at }) as Statement;
export const ifStmt = (test: Expression, consequent: Statement) =>
  ({ type: 'IfStatement', test, consequent, alternate: null, ...at }) as Statement;
export const not = (argument: Expression) =>
  ({ type: 'UnaryExpression', operator: '!', prefix: true, argument, ...at }) as Expression;
export const assign = (left: Pattern | Expression, right: Expression) =>
  ({ type: 'AssignmentExpression', operator: '=', left, right, ...at }) as Expression;
export const sequence = (expressions: Expression[]) =>
  expressions.length === 1 ? expressions[0] : ({ type: 'SequenceExpression', expressions, ...at } as Expression);
export const declare = (kind: 'let' | 'const' | 'var', pairs: Array<[Pattern, Expression | null]>) =>
  ({
    type: 'VariableDeclaration',
    kind,
    declarations: pairs.map(([idNode, init]) => ({ type: 'VariableDeclarator', id: idNode, init, ...at })),
    ...at,
  }) as Statement;
export const member = (object: Expression, property: string) =>
  ({ type: 'MemberExpression', object, property: id(property), computed: false, optional: false, ...at }) as Expression;
export const literal = (value: string | number) =>
  ({ type: 'Literal', value, raw: JSON.stringify(value), ...at }) as Expression;
export const call = (callee: Expression, args: Expression[]) =>
  ({ type: 'CallExpression', callee, arguments: args, optional: false, ...at }) as Expression;
