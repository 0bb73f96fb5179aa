// Which variables a closure can change. A variable only its declaring function's own code assigns
// (its blocks and loops included, not the functions nested in it) is frozen once every run of that
// function has returned: nothing else can reach it. Two contexts left with equal values of such
// variables can then be merged or split without the program telling. A variable some nested
// function assigns can change whenever that closure runs, at any later time.
import type { AnyNode, Program, SourceLocation } from 'acorn';
import { base, recursive, type RecursiveVisitors } from 'acorn-walk';
import { patternNames, type Node } from '../resume/ast';
import type { ClosureAssigned, Span } from './agent/text-spans';

/** acorn-walk's own walk of each node type, which the visitors below go on with. */
const walkOn = base as Required<RecursiveVisitors<Scope>>;

/** A scope on the way out from a node: the names declared in it, and whose code runs in it. */
interface Scope {
  names: Set<string>;
  /** Where the scope's node is in the text (a closure in it is under it). */
  span: Span;
  /** The function (or the program, a field initializer, a static block) whose own code this is. */
  owner: Owner;
  parent: Scope | undefined;
  /** A function's or the program's: the functions declared in its blocks, which sloppy code also binds here. */
  blockFunctions?: Set<string>;
}

interface Owner {
  /** A function's parameters, changed through `arguments` when a sloppy function's aliases them. */
  params: string[];
  /** The function's span: its parameters' scope. */
  span: Span;
  /** Arrows have no `arguments` of their own: theirs is the enclosing function's. */
  arrow: boolean;
}

/** A node with its place in the text. */
type Located = { loc?: SourceLocation | null };

/**
 * The variables some function assigns while an enclosing function (or the script's top level)
 * declares them: a closure assigns them. Undefined when the text cannot tell (a direct `eval` or a
 * `with` may bind or assign names it does not show). Needs a program parsed with `locations`.
 */
export function closureAssignedVariables(
  program: Program,
  topLevelNames: Iterable<string>,
): ClosureAssigned[] | undefined {
  const found = new Map<string, ClosureAssigned>();
  let hidden = false;
  const findings: Findings = {
    assigned: (name, scope) => found.set(`${name} ${scope.join(',')}`, { name, scope }),
    hidden: () => (hidden = true),
  };
  const span = spanOf(program);
  const top: Scope = {
    names: new Set([...topLevelNames, ...varNames(program), ...lexicalNames(program)]),
    span,
    owner: { params: [], arrow: false, span },
    parent: undefined,
    blockFunctions: new Set(blockFunctionNames(program)),
  };
  recursive(program, top, { ...scopeVisitors(findings), ...assignmentVisitors(findings) });
  return hidden ? undefined : [...found.values()];
}

/** What the walk reports: a variable a closure assigns, or that the text cannot tell. */
interface Findings {
  assigned(name: string, scope: Span): void;
  hidden(): void;
}

/** The walk into each node that opens a scope, with that scope. */
function scopeVisitors(findings: Findings): RecursiveVisitors<Scope> {
  return {
    Function: (node, scope, c) => {
      const fn = node as AnyNode & { type: 'FunctionExpression' };
      // Its body's span: the function's own location (where its parameters start) is outside, and a
      // function is never among the scopes it closes over.
      const span = spanOf(fn.body);
      const owner: Owner = { params: fn.params.flatMap((p) => patternNames(p)), arrow: isArrow(node), span };
      // A named function expression sees its own name in a scope of its own, between.
      const outer = fn.type === 'FunctionExpression' && fn.id ? block([fn.id.name], fn.body, scope) : scope;
      const names = [...owner.params, ...varNames(fn.body), ...(owner.arrow ? [] : ['arguments'])];
      const blockFunctions = new Set(blockFunctionNames(fn.body));
      walkOn.Function(node, { names: new Set(names), span, owner, parent: outer, blockFunctions }, c);
    },
    BlockStatement: (node, scope, c) => walkOn.BlockStatement(node, block(lexicalNames(node), node, scope), c),
    SwitchStatement: (node, scope, c) => {
      const cases = (node as AnyNode & { type: 'SwitchStatement' }).cases;
      const names = cases.flatMap((each) => lexicalNames({ body: each.consequent }));
      walkOn.SwitchStatement(node, block(names, node, scope), c);
    },
    ForStatement: (node, scope, c) => walkOn.ForStatement(node, block(headNames(node), node, scope), c),
    ForInStatement: (node, scope, c) => {
      forHeadAssigns(node, scope, findings);
      walkOn.ForInStatement(node, block(headNames(node), node, scope), c);
    },
    ForOfStatement: (node, scope, c) => {
      forHeadAssigns(node, scope, findings);
      walkOn.ForOfStatement(node, block(headNames(node), node, scope), c);
    },
    CatchClause: (node, scope, c) =>
      walkOn.CatchClause(node, block(patternNames((node as AnyNode & { type: 'CatchClause' }).param), node, scope), c),
    // A field's initializer and a static block run later, as functions of their own.
    StaticBlock: (node, scope, c) => walkOn.StaticBlock(node, ownCode(lexicalNames(node), node, scope), c),
    PropertyDefinition: (node, scope, c) => {
      const field = node as AnyNode & { type: 'PropertyDefinition' };
      if (field.computed) c(field.key, scope);
      if (field.value) c(field.value, ownCode([], field.value, scope));
    },
  };
}

/** The walk into each node that assigns a variable, or may in a way the text does not show. */
function assignmentVisitors(findings: Findings): RecursiveVisitors<Scope> {
  return {
    AssignmentExpression: (node, scope, c) => {
      assigns((node as AnyNode & { type: 'AssignmentExpression' }).left, scope, findings);
      walkOn.AssignmentExpression(node, scope, c);
    },
    UpdateExpression: (node, scope, c) => {
      assigns((node as AnyNode & { type: 'UpdateExpression' }).argument, scope, findings);
      walkOn.UpdateExpression(node, scope, c);
    },
    CallExpression: (node, scope, c) => {
      const callee = (node as AnyNode & { type: 'CallExpression' }).callee;
      if (callee.type === 'Identifier' && callee.name === 'eval') findings.hidden();
      walkOn.CallExpression(node, scope, c);
    },
    WithStatement: (node, scope, c) => {
      findings.hidden();
      walkOn.WithStatement(node, scope, c);
    },
    Identifier: (node, scope) => {
      // A sloppy function's `arguments` aliases its parameters: whoever holds it can change them.
      if ((node as AnyNode & { type: 'Identifier' }).name !== 'arguments') return;
      const owner = argumentsOwner(scope);
      for (const name of owner?.params ?? []) findings.assigned(name, owner!.span);
    },
  };
}

/** Reports the variables a target names that a closure assigns: declared outside the code's own function. */
function assigns(target: Node, scope: Scope, findings: Findings): void {
  for (const name of patternNames(target)) {
    const declaring = declaringScope(name, scope);
    if (declaring && !declaredByOwnCode(name, scope)) findings.assigned(name, declaring.span);
    // A function declared in a block also binds a variable of its enclosing function in sloppy code
    // (not in strict code): an assignment may reach that one too.
    for (let at: Scope | undefined = scope; at && at !== declaring; at = at.parent)
      if (at.blockFunctions?.has(name) && at.owner !== scope.owner) findings.assigned(name, at.span);
  }
}

/** `for (x of ...)` and `for (x in ...)` assign x each round. */
function forHeadAssigns(node: Node, scope: Scope, findings: Findings): void {
  const left = (node as AnyNode & { type: 'ForInStatement' }).left;
  if (left.type !== 'VariableDeclaration') assigns(left, scope, findings);
}

function spanOf(node: Located): Span {
  const { start, end } = node.loc!;
  return [start.line - 1, start.column, end.line - 1, end.column];
}

function block(names: string[], node: Located, parent: Scope): Scope {
  return { names: new Set(names), span: spanOf(node), owner: parent.owner, parent };
}

function ownCode(names: string[], node: Located, parent: Scope): Scope {
  const span = spanOf(node);
  return { names: new Set(names), span, owner: { params: [], arrow: false, span }, parent };
}

/** Whether `name` resolves to a binding of the scope's own function (its blocks included). */
function declaredByOwnCode(name: string, scope: Scope): boolean {
  for (let at: Scope | undefined = scope; at && at.owner === scope.owner; at = at.parent)
    if (at.names.has(name)) return true;
  return false;
}

/** The scope whose binding of `name` a use here reaches, if any (else a global). */
function declaringScope(name: string, scope: Scope): Scope | undefined {
  for (let at: Scope | undefined = scope; at; at = at.parent) if (at.names.has(name)) return at;
  return undefined;
}

/** The function whose `arguments` a use here reads: the nearest one that is not an arrow. */
function argumentsOwner(scope: Scope): Owner | undefined {
  for (let at: Scope | undefined = scope; at; at = at.parent) if (!at.owner.arrow) return at.owner;
  return undefined;
}

function isArrow(node: { type: string }): boolean {
  return node.type === 'ArrowFunctionExpression';
}

/** `let`/`const` names a for statement's head declares (a `var` there belongs to the function). */
function headNames(node: Node): string[] {
  const loop = node as AnyNode & { type: 'ForStatement' | 'ForInStatement' };
  const head = loop.type === 'ForStatement' ? loop.init : loop.left;
  if (head?.type !== 'VariableDeclaration' || head.kind === 'var') return [];
  return head.declarations.flatMap((d) => patternNames(d.id));
}

/** The names a block's own statements declare lexically: `let`, `const`, classes and functions. */
function lexicalNames(node: { body: Node[] | Node }): string[] {
  const names: string[] = [];
  for (const statement of Array.isArray(node.body) ? node.body : []) {
    const declaration = unexported(statement as AnyNode);
    if (declaration.type === 'VariableDeclaration' && declaration.kind !== 'var')
      for (const d of declaration.declarations) patternNames(d.id, names);
    else if ((declaration.type === 'ClassDeclaration' || declaration.type === 'FunctionDeclaration') && declaration.id)
      names.push(declaration.id.name);
  }
  return names;
}

/** The `var` names a function body declares, in any of its blocks (not in functions nested in it). */
export function varNames(body: Node): string[] {
  const names: string[] = [];
  const visit = (node: Node): void => {
    const each = unexported(node as AnyNode);
    if (each.type === 'VariableDeclaration' && each.kind === 'var')
      for (const d of each.declarations) patternNames(d.id, names);
    if (/Function|Class/.test(each.type) && each !== body) return;
    for (const child of statementChildren(each)) visit(child);
  };
  visit(body);
  return names;
}

/** The functions declared in a body's blocks (not at its top, nor in functions nested in it). */
function blockFunctionNames(body: Node): string[] {
  const names: string[] = [];
  const visit = (node: Node, nested: boolean): void => {
    const each = unexported(node as AnyNode);
    if (each.type === 'FunctionDeclaration' && nested && each.id) names.push(each.id.name);
    if (/Function|Class/.test(each.type) && each !== body) return;
    for (const child of statementChildren(each)) visit(child, each !== body);
  };
  visit(body, false);
  return names;
}

/** The statements (and for heads) directly under a statement, where a `var` may be declared. */
function statementChildren(node: AnyNode): Node[] {
  switch (node.type) {
    case 'Program':
    case 'BlockStatement':
    case 'StaticBlock':
      return node.body;
    case 'IfStatement':
      return [node.consequent, ...(node.alternate ? [node.alternate] : [])];
    case 'ForStatement':
      return [...(node.init ? [node.init] : []), node.body];
    case 'ForInStatement':
    case 'ForOfStatement':
      return [node.left, node.body];
    case 'WhileStatement':
    case 'DoWhileStatement':
    case 'LabeledStatement':
    case 'WithStatement':
      return [node.body];
    case 'SwitchStatement':
      return node.cases.flatMap((each) => each.consequent);
    case 'TryStatement':
      return [node.block, ...(node.handler ? [node.handler.body] : []), ...(node.finalizer ? [node.finalizer] : [])];
    default:
      return [];
  }
}

function unexported(node: AnyNode): AnyNode {
  return (node.type === 'ExportNamedDeclaration' || node.type === 'ExportDefaultDeclaration') && node.declaration
    ? (node.declaration as AnyNode)
    : node;
}
