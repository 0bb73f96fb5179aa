// The chain of statements from the frame's body down to the one the frame is paused in, and
// which part of it (a whole statement, or a loop's test/update/next step) is the entry point.
import type { Expression, Statement } from 'acorn';
import { childrenOf, identifiersIn, patternNames, type Node } from './ast';
import { FerryError } from '../errors';

export type EntryKind = 'statement' | 'for-test' | 'for-update' | 'loop-test' | 'for-next' | 'block-end';

export interface ResumePath {
  /** nodes[0] is the body root; each next node is a direct statement child of the previous. */
  nodes: Node[];
  entry: EntryKind;
  /** The expression (or statement) whose evaluation was under way: its earlier parts are checked for re-evaluation. */
  segment: Node | null;
}

export class PathError extends FerryError {
  readonly kind = 'refused';
}

const within = (n: Node | null | undefined, offset: number) => !!n && n.start <= offset && offset < n.end;

/** Where a path ends: the entry point, and what of it was under way. */
type Entry = Omit<ResumePath, 'nodes'>;

/** One step down the path: into a child statement, or the entry found (after the child, for one not yet begun). */
interface Step {
  into?: Node;
  stop?: Entry;
}

const stop = (entry: EntryKind, segment: Node | null): Step => ({ stop: { entry, segment } });

/** Into the first of `children` the offset lies in, if any. */
function intoFirst(children: Array<Node | null | undefined>, offset: number): Step | undefined {
  const child = children.find((c) => within(c, offset));
  return child ? { into: child } : undefined;
}

export function resumePath(body: Node, offset: number): ResumePath {
  // An arrow's expression body behaves as `return <expression>`.
  const root: Node =
    body.type === 'BlockStatement' || body.type === 'Program'
      ? body
      : ({ type: 'ReturnStatement', argument: body as Expression, start: body.start, end: body.end } as Statement);
  const nodes: Node[] = [root];
  for (;;) {
    const { into, stop } = stepDown(nodes[nodes.length - 1], offset);
    if (into) nodes.push(into);
    if (stop) return { nodes, ...stop };
  }
}

function stepDown(node: Node, offset: number): Step {
  switch (node.type) {
    case 'Program':
    case 'BlockStatement':
    case 'StaticBlock': {
      const list = node.body as Node[];
      const child = list.find((s) => within(s, offset)) ?? list.find((s) => s.start >= offset);
      if (!child) return stop('block-end', null);
      // Between statements (or at one's start) nothing of it has run yet: re-run it whole.
      return within(child, offset) ? { into: child } : { into: child, ...stop('statement', null) };
    }
    case 'IfStatement':
      return intoFirst([node.consequent, node.alternate], offset) ?? stop('statement', node.test);
    case 'ForStatement':
      return (
        intoFirst([node.body], offset) ??
        (within(node.test, offset)
          ? stop('for-test', node.test!)
          : within(node.update, offset)
            ? stop('for-update', node.update!)
            : stop('statement', node.init ?? null))
      );
    case 'ForInStatement':
    case 'ForOfStatement':
      return (
        intoFirst([node.body], offset) ??
        (within(node.left, offset) ? stop('for-next', node.left) : stop('statement', node.right))
      );
    case 'WhileStatement':
    case 'DoWhileStatement':
      return intoFirst([node.body], offset) ?? stop('loop-test', node.test);
    case 'SwitchStatement':
      return switchStep(node, offset);
    case 'TryStatement':
      return tryStep(node, offset);
    case 'LabeledStatement':
      return { into: node.body };
    case 'WithStatement':
      throw new PathError('the frame is inside a `with` statement, whose object scope cannot be re-entered');
    case 'ClassDeclaration':
    case 'VariableDeclaration':
    case 'ExpressionStatement':
    case 'ReturnStatement':
    case 'ThrowStatement':
      return stop('statement', node);
    default:
      return stop('statement', childrenOf(node).length === 0 ? null : node);
  }
}

function switchStep(node: Extract<Node, { type: 'SwitchStatement' }>, offset: number): Step {
  const inCase = intoFirst(
    node.cases.flatMap((c) => c.consequent),
    offset,
  );
  if (inCase) return inCase;
  if (node.cases.some((c) => within(c.test, offset)))
    throw new PathError('paused while evaluating a `case` expression of a switch');
  return stop('statement', node.discriminant);
}

function tryStep(node: Extract<Node, { type: 'TryStatement' }>, offset: number): Step {
  if (within(node.finalizer, offset))
    throw new PathError(
      'paused inside a finally block: the completion that entered it (normal, return, throw or break) is not observable',
    );
  const part = intoFirst([node.block, node.handler?.body], offset);
  if (part) return part;
  throw new PathError('paused at a catch clause parameter');
}

/**
 * A name a for-in/for-of loop on the path reads to find its position (its variable, or one its
 * iterated expression names) that a declaration between the loop and the paused position hides:
 * read at the paused position, it would give the inner binding's value.
 */
export function shadowedLoopName(path: ResumePath): { loop: Node; name: string } | undefined {
  for (const [i, loop] of path.nodes.entries()) {
    if (loop.type !== 'ForInStatement' && loop.type !== 'ForOfStatement') continue;
    const read = new Set([
      ...identifiersIn(loop.right),
      ...patternNames(loop.left.type === 'VariableDeclaration' ? loop.left.declarations[0].id : loop.left),
    ]);
    for (const [k, scope] of path.nodes.entries()) {
      if (k <= i) continue;
      const name = lexicalNames(scope, path.nodes[k - 1]).find((n) => read.has(n));
      if (name) return { loop, name };
    }
  }
  return undefined;
}

/** The names `node` declares for the code under it, when entered from `parent` (the path's previous node). */
function lexicalNames(node: Node, parent: Node): string[] {
  const names: string[] = [];
  const declared = (statement: Node) => {
    if (statement.type === 'VariableDeclaration' && statement.kind !== 'var')
      statement.declarations.forEach((d) => patternNames(d.id, names));
    else if ((statement.type === 'ClassDeclaration' || statement.type === 'FunctionDeclaration') && statement.id)
      names.push(statement.id.name);
  };
  if (node.type === 'BlockStatement' || node.type === 'StaticBlock') node.body.forEach(declared);
  if (parent.type === 'SwitchStatement') parent.cases.forEach((c) => c.consequent.forEach(declared));
  if (parent.type === 'TryStatement' && node === parent.handler?.body) patternNames(parent.handler.param, names);
  if (node.type === 'ForStatement' && node.init?.type === 'VariableDeclaration') declared(node.init);
  if ((node.type === 'ForInStatement' || node.type === 'ForOfStatement') && node.left.type === 'VariableDeclaration')
    declared(node.left);
  return names;
}
