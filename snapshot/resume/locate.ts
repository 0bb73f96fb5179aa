// Where V8 reports a frame's position, per node kind, and the node a reported position names.
// Rules measured with test/resume/probe/probe.ts on node 20 (see README "Locating"):
//   f(x)            -> start of the callee identifier
//   a.b.m(x)        -> start of the property name `m` (also for a?.m(x), super.m(x))
//   a["m"](x), (0,f)(x), a.#m(x) -> the `(` that opens the arguments
//   new C(x), super(x)  -> start of the expression
//   tag`...`        -> the opening backtick
//   a.g (getter)    -> start of the property name
//   a.s = v (setter)-> the `=` operator
//   for (const v of it) (implicit next) -> start of the loop's left-hand side
//   for await (const {a, b} of it) (waiting for next()) -> a destructuring pattern's closing bracket
import { type Node, walkOwn } from './ast';

/** Offset V8 reports for `node` when it is the frame's current call, or undefined if it never is. */
export function v8Position(node: Node, source: string): number | undefined {
  switch (node.type) {
    case 'CallExpression': {
      const callee = node.callee;
      if (callee.type === 'Identifier' || callee.type === 'Super') return callee.start;
      if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type !== 'PrivateIdentifier')
        return callee.property.start;
      return openParenAfter(source, callee.end);
    }
    case 'NewExpression':
      return node.start;
    case 'TaggedTemplateExpression':
      return node.quasi.start;
    case 'MemberExpression':
      return node.computed ? undefined : node.property.start;
    case 'AssignmentExpression':
      return operatorAfter(source, node.left.end);
    case 'ForOfStatement': {
      const target = node.left.type === 'VariableDeclaration' ? node.left.declarations[0].id : node.left;
      // A for-await waiting for next() is reported at the end of a destructuring pattern (its last bracket).
      return node.await && (target.type === 'ObjectPattern' || target.type === 'ArrayPattern')
        ? target.end - 1
        : target.start;
    }
    case 'YieldExpression':
    case 'AwaitExpression':
      return node.start;
    default:
      return undefined;
  }
}

/** Skips spaces, comments, closing parentheses and `?.` to the `(` of a call's arguments. */
function openParenAfter(source: string, from: number): number | undefined {
  let i = from;
  while (i < source.length) {
    const c = source[i];
    if (c === '(') return i;
    if (c === '/' && source[i + 1] === '/') i = source.indexOf('\n', i);
    else if (c === '/' && source[i + 1] === '*') i = source.indexOf('*/', i) + 1;
    else if (!/[\s)?.]/.test(c)) return undefined;
    if (i < 0) return undefined;
    i++;
  }
  return undefined;
}

function operatorAfter(source: string, from: number): number | undefined {
  const match = /^(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*\n|\))*/.exec(source.slice(from));
  return from + (match ? match[0].length : 0);
}

// Several nodes can sit at one position (the callee `a.m` and the call `a.m()`); the call wins.
const PRIORITY: Record<string, number> = {
  CallExpression: 0,
  NewExpression: 0,
  TaggedTemplateExpression: 0,
  YieldExpression: 0,
  AwaitExpression: 0,
  ForOfStatement: 1,
  MemberExpression: 2,
  AssignmentExpression: 3,
};

/** The node of the frame's own code at which V8 reports `offset` as the current call. */
export function findPendingNode(root: Node, offset: number, source: string): Node | undefined {
  let best: Node | undefined;
  walkOwn(root, (node) => {
    if (PRIORITY[node.type] === undefined || v8Position(node, source) !== offset) return;
    if (!best || PRIORITY[node.type] < PRIORITY[best.type]) best = node;
  });
  return best;
}
