// Finds the frame's function in a parsed script and describes it: what kind of function it is,
// which bindings live at its function level, and where its break/continue statements go.
import type { BlockStatement, Expression, Program, ClassBody } from 'acorn';
import {
  childrenOf,
  identifiersIn,
  isFunction,
  patternNames,
  walkOwn,
  type FunctionLike as FunctionNode,
  type Node,
} from './ast';
import type { ParsedScript } from './parse';

export type VariantKind = 'function' | 'async' | 'generator' | 'async-generator';

export interface FunctionBinding {
  name: string;
  kind: 'param' | 'var' | 'let' | 'const' | 'function' | 'class' | 'self' | 'arguments';
  /** Source text of the declaration for `function`/`class` bindings (a caller without the live value can re-create it). */
  declaration?: string;
}

export interface FrameFunction {
  /** The function node, or the Program for a module's top-level frame. */
  node: FunctionNode | Program;
  /** Root of the frame's own statements: a block, the program, or an arrow's expression body. */
  body: BlockStatement | Program | Expression;
  name: string;
  kind: VariantKind;
  isArrow: boolean;
  isProgram: boolean;
  strict: boolean;
  /** The class when the frame is a class constructor. */
  constructorOf?: { body: ClassBody; derived: boolean };
  /** For class members: the class's name (null if anonymous) and whether the member is static. */
  classMember?: { className: string | null; isStatic: boolean };
  ancestors: Node[];
  /** The location is in a class field initializer or static block (V8 runs those as hidden functions). */
  inClassInitializer: boolean;
}

const CJS_PARAMS = ['exports', 'require', 'module', '__filename', '__dirname'];

/** The innermost function whose own code contains `offset` (the program for top-level code). */
export function findFrameFunction(script: ParsedScript, offset: number): FrameFunction {
  const ancestors: Node[] = [];
  let current: Node = script.program;
  let fn: FunctionNode | Program = script.program;
  let fnAncestors: Node[] = [];
  let inClassInitializer = false;
  for (;;) {
    const next: Node | null = childrenOf(current).find((c) => c.start <= offset && offset < c.end) ?? null;
    if (!next) break;
    ancestors.push(current);
    if (isFunction(next)) {
      fn = next;
      fnAncestors = [...ancestors];
      inClassInitializer = false;
    }
    if (next.type === 'PropertyDefinition' || next.type === 'StaticBlock') inClassInitializer = true;
    current = next;
  }
  return describe(script, fn, fnAncestors, inClassInitializer);
}

function describe(
  script: ParsedScript,
  node: FunctionNode | Program,
  ancestors: Node[],
  inClassInitializer: boolean,
): FrameFunction {
  const isProgram = node.type === 'Program';
  const fn = isProgram ? null : (node as FunctionNode);
  const parent = ancestors[ancestors.length - 1];
  const grand = ancestors[ancestors.length - 2];
  const classNode = grand?.type === 'ClassBody' ? ancestors[ancestors.length - 3] : undefined;
  const isCtor = parent?.type === 'MethodDefinition' && parent.kind === 'constructor' && classNode !== undefined;
  const kind: VariantKind = fn
    ? fn.async
      ? fn.generator
        ? 'async-generator'
        : 'async'
      : fn.generator
        ? 'generator'
        : 'function'
    : script.isModule
      ? 'async' // a module's body may await (V8 runs it as an async function)
      : 'function';
  return {
    node,
    body: isProgram ? (node as Program) : (fn!.body as BlockStatement | Expression),
    name: nameOf(node, parent),
    kind,
    isArrow: node.type === 'ArrowFunctionExpression',
    isProgram,
    strict: isStrict(script, node, ancestors),
    classMember:
      parent?.type === 'MethodDefinition' && classNode
        ? { className: (classNode as { id?: { name: string } | null }).id?.name ?? null, isStatic: parent.static }
        : undefined,
    constructorOf: isCtor
      ? { body: grand as ClassBody, derived: Boolean((classNode as { superClass?: unknown }).superClass) }
      : undefined,
    ancestors,
    inClassInitializer,
  };
}

function nameOf(node: FunctionNode | Program, parent: Node | undefined): string {
  if (node.type === 'Program') return 'top';
  if (node.type !== 'ArrowFunctionExpression' && node.id) return node.id.name;
  if (parent && (parent.type === 'MethodDefinition' || parent.type === 'Property') && parent.key.type === 'Identifier')
    return parent.key.name;
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  return 'anonymous';
}

function hasUseStrict(body: Node): boolean {
  const list = body.type === 'Program' || body.type === 'BlockStatement' ? body.body : [];
  for (const s of list) {
    if (s.type !== 'ExpressionStatement' || !('directive' in s) || typeof s.directive !== 'string') break;
    if (s.directive === 'use strict') return true;
  }
  return false;
}

function isStrict(script: ParsedScript, node: Node, ancestors: Node[]): boolean {
  if (script.isModule || hasUseStrict(script.program)) return true;
  return [...ancestors, node].some((a) => a.type === 'ClassBody' || (isFunction(a) && hasUseStrict(a.body)));
}

/** Bindings of the frame's function scope, which the caller declares around the variant. */
export function functionBindings(frame: FrameFunction, source: string): FunctionBinding[] {
  const out: FunctionBinding[] = [];
  const seen = new Set<string>();
  const add = (b: FunctionBinding) => {
    if (!seen.has(b.name)) {
      seen.add(b.name);
      out.push(b);
    }
  };
  if (frame.isProgram && !(frame.node as Program).sourceType.startsWith('m'))
    for (const name of CJS_PARAMS) add({ name, kind: 'param' });
  if (!frame.isProgram)
    for (const p of (frame.node as FunctionNode).params)
      for (const name of patternNames(p)) add({ name, kind: 'param' });
  const fnNode = frame.node;
  // Its own name is carried only where its code names it: V8 keeps it nowhere otherwise.
  if (fnNode.type === 'FunctionExpression' && fnNode.id && identifiersIn(fnNode.body).has(fnNode.id.name))
    add({ name: fnNode.id.name, kind: 'self' });
  if (usesArguments(frame)) add({ name: ARGUMENTS, kind: 'arguments' });
  const topLevel = frame.body.type === 'BlockStatement' || frame.body.type === 'Program' ? frame.body.body : [];
  for (const s of topLevel as Node[]) {
    if (s.type === 'FunctionDeclaration')
      add({ name: s.id!.name, kind: 'function', declaration: source.slice(s.start, s.end) });
    else if (s.type === 'ClassDeclaration')
      add({ name: s.id!.name, kind: 'class', declaration: source.slice(s.start, s.end) });
    else if (s.type === 'VariableDeclaration' && s.kind !== 'var')
      for (const d of s.declarations)
        for (const name of patternNames(d.id)) add({ name, kind: s.kind === 'const' ? 'const' : 'let' });
  }
  walkOwn(frame.body, (n) => {
    if (n.type === 'VariableDeclaration' && n.kind === 'var')
      for (const d of n.declarations) for (const name of patternNames(d.id)) add({ name, kind: 'var' });
  });
  return out;
}

/** The name the variant uses for the frame's `arguments` object (a variant's own would be wrong). */
export const ARGUMENTS = '$ferryArguments';

/** `arguments`, `this`, `new.target` and `super` seen through arrows: code that belongs to the frame. */
export function walkFrameCode(frame: FrameFunction, visit: (node: Node, parent: Node | null) => void): void {
  const walk = (root: Node) =>
    walkOwn(root, (n, p) => {
      visit(n, p);
      if (n !== root && n.type === 'ArrowFunctionExpression') walk(n.body);
    });
  walk(frame.body);
}

export function usesArguments(frame: FrameFunction): boolean {
  let used = false;
  walkFrameCode(frame, (n, p) => {
    if (
      n.type === 'Identifier' &&
      n.name === 'arguments' &&
      !(p?.type === 'MemberExpression' && p.property === n && !p.computed)
    )
      used = true;
  });
  return used;
}

/** Each break/continue of the frame's own code mapped to the statement it leaves or continues. */
export function jumpTargets(frame: FrameFunction): Map<Node, Node> {
  const targets = new Map<Node, Node>();
  const visit = (node: Node, loops: Node[], breakables: Node[], labels: Map<string, Node>) => {
    if (node !== frame.body && (isFunction(node) || node.type === 'ClassBody')) return;
    if (node.type === 'BreakStatement' || node.type === 'ContinueStatement') {
      const target = node.label
        ? labels.get(node.label.name)
        : (node.type === 'ContinueStatement' ? loops : breakables).at(-1);
      if (target) targets.set(node, target);
      return;
    }
    if (node.type === 'LabeledStatement') {
      // A label names the loop it wraps (continue needs the loop), else the labelled statement.
      let body: Node = node.body;
      while (body.type === 'LabeledStatement') body = body.body;
      const named = new Map(labels).set(node.label.name, isLoop(body) ? body : node);
      return visit(node.body, loops, breakables, named);
    }
    const loop = isLoop(node);
    const nextLoops = loop ? [...loops, node] : loops;
    const nextBreakables = loop || node.type === 'SwitchStatement' ? [...breakables, node] : breakables;
    for (const child of childrenOf(node)) visit(child, nextLoops, nextBreakables, labels);
  };
  visit(frame.body, [], [], new Map());
  return targets;
}

export function isLoop(node: Node): boolean {
  return (
    node.type === 'ForStatement' ||
    node.type === 'ForInStatement' ||
    node.type === 'ForOfStatement' ||
    node.type === 'WhileStatement' ||
    node.type === 'DoWhileStatement'
  );
}
