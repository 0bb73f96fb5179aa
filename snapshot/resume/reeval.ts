// Decides whether the parts of a statement evaluated before the pause can be evaluated again
// on resume with the same result. V8 keeps their values in registers no protocol exposes, so
// re-evaluation is the only way back; it is honest only for side-effect-free parts whose inputs
// nothing between their first evaluation and the checkpoint could have changed.
import type { Program } from 'acorn';
import { childrenOf, isFunction, patternNames, walkOwn, type Node } from './ast';
import type { ParsedScript } from './parse';

interface FunctionSummary {
  declared: Set<string>;
  /** Identifiers assigned in the function's own code that it does not declare: outer bindings. */
  escapingWrites: Set<string>;
}

interface ScriptSummary {
  functions: Map<Node, FunctionSummary>;
  allEscapingWrites: Set<string>;
  writtenProperties: Set<string>;
  computedWrites: boolean;
}

// Methods that change an object's contents (and so `x.length`, `x[i]`, `x.size`) behind a read.
const MUTATORS = new Set([
  'push',
  'pop',
  'shift',
  'unshift',
  'splice',
  'sort',
  'reverse',
  'fill',
  'copyWithin',
  'set',
  'add',
  'delete',
  'clear',
  'assign',
  'defineProperty',
]);

const summaries = new WeakMap<ParsedScript, ScriptSummary>();

function summarize(script: ParsedScript): ScriptSummary {
  const cached = summaries.get(script);
  if (cached) return cached;
  const summary: ScriptSummary = {
    functions: new Map(),
    allEscapingWrites: new Set(),
    writtenProperties: new Set(),
    computedWrites: false,
  };
  const visitFunction = (fn: Node) => {
    const declared = new Set<string>();
    const assigned = new Set<string>();
    if (isFunction(fn)) {
      for (const p of fn.params) patternNames(p, []).forEach((n) => declared.add(n));
      if (fn.type !== 'ArrowFunctionExpression' && fn.id) declared.add(fn.id.name);
    }
    const root = isFunction(fn) ? fn.body : fn;
    const target = (t: Node) => {
      if (t.type === 'MemberExpression') {
        if (t.computed) summary.computedWrites = true;
        else if (t.property.type === 'Identifier') summary.writtenProperties.add(t.property.name);
      } else patternNames(t).forEach((n) => assigned.add(n));
    };
    walkOwn(root, (n) => {
      if (n !== root && isFunction(n)) {
        visitFunction(n);
        if (n.type === 'FunctionDeclaration') declared.add(n.id!.name);
        return;
      }
      switch (n.type) {
        case 'VariableDeclarator':
          patternNames(n.id).forEach((x) => declared.add(x));
          break;
        case 'ClassDeclaration':
          declared.add(n.id!.name);
          break;
        case 'CatchClause':
          patternNames(n.param).forEach((x) => declared.add(x));
          break;
        case 'AssignmentExpression':
          target(n.left);
          break;
        case 'UpdateExpression':
          target(n.argument);
          break;
        case 'UnaryExpression':
          if (n.operator === 'delete') target(n.argument);
          break;
        case 'ForInStatement':
        case 'ForOfStatement':
          if (n.left.type !== 'VariableDeclaration') target(n.left);
          break;
        case 'CallExpression':
          if (
            n.callee.type === 'MemberExpression' &&
            !n.callee.computed &&
            n.callee.property.type === 'Identifier' &&
            MUTATORS.has(n.callee.property.name)
          )
            summary.computedWrites = true;
          break;
        default:
          break;
      }
    });
    const escapingWrites = new Set([...assigned].filter((n) => !declared.has(n)));
    escapingWrites.forEach((n) => summary.allEscapingWrites.add(n));
    summary.functions.set(fn, { declared, escapingWrites });
  };
  visitFunction(script.program as Program);
  summaries.set(script, summary);
  return summary;
}

/** Names closures nested in `fn` assign to outer bindings (which may be `fn`'s own locals). */
function nestedWrites(summary: ScriptSummary, fn: Node): Set<string> {
  const out = new Set<string>();
  walkOwn(isFunction(fn) ? fn.body : fn, (n) => {
    if (n === fn || !isFunction(n)) return;
    // walkOwn does not enter nested functions: collect their whole subtree here.
    const visitAll = (m: Node) => {
      if (isFunction(m)) summary.functions.get(m)?.escapingWrites.forEach((x) => out.add(x));
      childrenOf(m).forEach(visitAll);
    };
    visitAll(n);
  });
  return out;
}

export interface Offense {
  node: Node;
  why: string;
}

/**
 * Checks every part of `segment` evaluated before `before` (the pending node's start, or the pause
 * offset for the innermost frame) except `pending` itself, plus the `alsoReevaluated` nodes.
 */
export function firstOffense(
  script: ParsedScript,
  frameFn: Node,
  segment: Node | null,
  before: number,
  pending: Node | null,
  alsoReevaluated: Node[] = [],
): Offense | undefined {
  const check = new ReevaluationCheck(summarize(script), frameFn, before, pending);
  if (segment) check.scan(segment);
  alsoReevaluated.forEach((node) => check.read(node));
  return check.offense;
}

const contains = (outer: Node, inner: Node) => outer.start <= inner.start && inner.end <= outer.end;

/** Walks what the variant would evaluate again, and keeps the first part that must not be. */
class ReevaluationCheck {
  offense: Offense | undefined;
  private readonly own: FunctionSummary | undefined;
  private readonly closureWrites: Set<string>;

  constructor(
    private readonly summary: ScriptSummary,
    frameFn: Node,
    private readonly before: number,
    private readonly pending: Node | null,
  ) {
    this.own = summary.functions.get(frameFn);
    this.closureWrites = nestedWrites(summary, frameFn);
  }

  /** A name whose value cannot have changed between its first reading and the checkpoint. */
  private stableName(name: string): boolean {
    return this.own?.declared.has(name) ? !this.closureWrites.has(name) : !this.summary.allEscapingWrites.has(name);
  }

  private flag(node: Node, why: string): void {
    this.offense ??= { node, why };
  }

  /** An expression evaluated whole before the pause, to be evaluated again. */
  read(node: Node): void {
    if (this.offense) return;
    switch (node.type) {
      case 'Literal':
      case 'ThisExpression':
      case 'Super':
      case 'MetaProperty':
      case 'TemplateElement':
      case 'ArrowFunctionExpression':
      case 'FunctionExpression':
        return;
      case 'Identifier':
        if (!this.stableName(node.name))
          this.flag(
            node,
            `\`${node.name}\` is assigned by code that may run in a callee before the checkpoint, so reading it again may not give the value used`,
          );
        return;
      case 'MemberExpression':
        return this.readMember(node);
      case 'Property':
        if (node.computed) this.read(node.key);
        return this.read(node.value);
      case 'UnaryExpression':
        if (node.operator === 'delete') return this.flag(node, 'has already deleted a property');
        return this.read(node.argument);
      default: {
        const why = NOT_AGAIN[node.type];
        if (why) return this.flag(node, why);
        childrenOf(node).forEach((child) => this.read(child));
      }
    }
  }

  private readMember(node: Extract<Node, { type: 'MemberExpression' }>): void {
    this.read(node.object);
    if (node.computed) this.read(node.property);
    const name = !node.computed && node.property.type === 'Identifier' ? node.property.name : undefined;
    const mayChange =
      name === undefined || name === 'length' || name === 'size'
        ? this.summary.computedWrites
        : this.summary.writtenProperties.has(name);
    if (mayChange)
      this.flag(
        node,
        'this property may be changed by a callee before the checkpoint, so reading it again may not give the value used',
      );
  }

  /** A part of the segment: what of it ran before the pause is read again, the pending node and what follows are not. */
  scan(node: Node): void {
    if (this.offense || node.start >= this.before || isFunction(node)) return;
    if (this.pending && contains(node, this.pending)) return this.scanAroundPending(node, this.pending);
    if (node.type === 'VariableDeclarator') {
      if (!node.init) return;
      return node.end > this.before ? this.scan(node.init) : this.read(node.init);
    }
    if (node.end > this.before) return childrenOf(node).forEach((child) => this.scan(child));
    this.read(node);
  }

  private scanAroundPending(node: Node, pending: Node): void {
    if (node === pending) return;
    if (node.type === 'ConditionalExpression') return this.scan(node.test);
    if (node.type === 'AssignmentExpression' && contains(node.right, pending))
      return this.assignTarget(node.left, node.operator !== '=');
    if (node.type === 'VariableDeclarator') return this.scan(node.init!);
    childrenOf(node).forEach((child) => this.scan(child));
  }

  /** An assignment's target is evaluated before its right side, but is it not a read (unless compound). */
  private assignTarget(left: Node, compound: boolean): void {
    if (left.type === 'MemberExpression') {
      this.read(left.object);
      if (left.computed) this.read(left.property);
    }
    if (compound) this.read(left);
  }
}

/** Expressions that must not be evaluated a second time, and why. */
const NOT_AGAIN: Partial<Record<Node['type'], string>> = {
  CallExpression: 'has already run and has side effects it would repeat',
  NewExpression: 'has already run and has side effects it would repeat',
  TaggedTemplateExpression: 'has already run and has side effects it would repeat',
  ImportExpression: 'has already run and has side effects it would repeat',
  AssignmentExpression: 'has already run and assigned a value it would assign again',
  UpdateExpression: 'has already run and assigned a value it would assign again',
  AwaitExpression: 'has already suspended once and would suspend again',
  YieldExpression: 'has already suspended once and would suspend again',
  SpreadElement: 'has already been iterated (spreading runs an iterator)',
  ClassExpression: 'has already been evaluated (a class definition runs code)',
};
