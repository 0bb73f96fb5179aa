// The structured rewrite: the frame's body, entered at the resume point. Statements before it are
// dropped; each block, switch, try and loop on the way is re-opened with its bindings restored
// from `$ferry`; an interrupted loop runs the rest of its one partial iteration under fresh labels
// (so break/continue keep their meaning) and then continues as the original loop.
import type { Expression, Pattern, Statement, VariableDeclaration } from 'acorn';
import * as b from './ast';
import { mapChildren, patternNames, type Node } from './ast';
import { ARGUMENTS, isLoop, type FrameFunction } from './frame';
import type { EntryKind, ResumePath } from './path';
import type { Location0 } from '../format/sections';
import { arrayLoopPosition, type ArrayLoopPosition } from './loop-positions';

export interface BlockSlot {
  /** What the block is: its values come from the CDP scope of the same range. */
  kind: 'block' | 'for' | 'for-in' | 'for-of' | 'catch' | 'switch';
  names: string[];
  start: Location0;
  end: Location0;
}

export interface LoopSlot {
  kind: 'for-in' | 'for-of' | 'for-await-of';
  start: Location0;
  /** Source text of the iterated expression and of the loop's left side, for the caller's recovery. */
  right: string;
  left: string;
  /** A for-of over an array's entries(), keys() or values(): where its position is read instead. */
  position?: ArrayLoopPosition;
}

export interface RewriteInput {
  frame: FrameFunction;
  path: ResumePath;
  source: string;
  jumpTargets: Map<Node, Node>;
  /** The paused node and what replaces it (absent for the innermost frame, which re-runs its statement). */
  replacement?: { node: Node; with: Expression };
  /**
   * The frame waits on a for-of loop's implicit next(): `inner`, the pending call (its loop takes the
   * inner frame's result first); `awaited`, a for-await suspended at its await of that next()'s promise.
   */
  pendingNext?: 'inner' | 'awaited';
  locate: (offset: number) => Location0;
}

interface Jump {
  brk: string;
  cont?: string;
}
interface Ctx {
  jumps: Map<Node, Jump>;
  inArrow: boolean;
  replace: boolean;
}

/** Where an interrupted loop resumes, and the labels and contexts of its rewrite. */
interface LoopResume {
  /** The loop's index in the path. */
  j: number;
  labels: string[];
  ctx: Ctx;
  /** The path's entry point when it ends at the loop, else inside its body. */
  entry: EntryKind | 'body';
  brk: string;
  cont: string;
  /** Inside the interrupted iteration: break and continue go to brk and cont. */
  inner: Ctx;
  /** Where the paused node is replaced. */
  first: Ctx;
}

/** A for loop's resume: its per-iteration bindings and their slot, its test and update rewritten. */
interface ForResume extends LoopResume {
  names: string[];
  kind: 'let' | 'const';
  slot: number;
  test: Expression | null;
  update: Expression | null;
}

type WhileLoop = Extract<Node, { type: 'WhileStatement' | 'DoWhileStatement' }>;
type ForStatement = Extract<Node, { type: 'ForStatement' }>;
type ForInOfLoop = Extract<Node, { type: 'ForInStatement' | 'ForOfStatement' }>;

export interface RewriteResult {
  body: Statement[];
  blocks: BlockSlot[];
  loops: LoopSlot[];
  uses: { home: boolean; newTarget: boolean; superConstructor: boolean };
}

export function rewriteFrame(input: RewriteInput): RewriteResult {
  return new Rewriter(input).run();
}

class Rewriter {
  private readonly blocks: BlockSlot[] = [];
  private readonly loops: LoopSlot[] = [];
  private readonly bodyLevel = new Set<Node>();
  private readonly uses = { home: false, newTarget: false, superConstructor: false };
  private labels = 0;
  private readonly derived: boolean;
  private readonly self: Expression;

  constructor(private readonly input: RewriteInput) {
    const body = input.frame.body;
    if (body.type === 'BlockStatement' || body.type === 'Program') {
      for (const s of body.body as Node[]) {
        if (
          s.type === 'FunctionDeclaration' ||
          s.type === 'ClassDeclaration' ||
          (s.type === 'VariableDeclaration' && s.kind !== 'var')
        )
          this.bodyLevel.add(s);
      }
    }
    this.derived = input.frame.constructorOf?.derived ?? false;
    this.self = this.derived ? b.id('$this') : ({ type: 'ThisExpression', start: 0, end: 0 } as Expression);
  }

  run(): RewriteResult {
    const ctx: Ctx = { jumps: new Map(), inArrow: false, replace: false };
    const body = this.resume(0, ctx);
    return { body, blocks: this.blocks, loops: this.loops, uses: this.uses };
  }

  private fresh(kind: string): string {
    return `$ferry_${kind}${++this.labels}`;
  }

  private at(offset: number): Location0 {
    return this.input.locate(offset);
  }

  // ---- the path ----

  private resume(i: number, ctx: Ctx): Statement[] {
    const { nodes } = this.input.path;
    const node = nodes[i];
    const last = i === nodes.length - 1;
    switch (node.type) {
      case 'Program':
      case 'BlockStatement': {
        const list = node.body as Statement[];
        const k = last ? list.length : list.indexOf(nodes[i + 1] as Statement);
        const head = this.restoreScope(node, list.slice(0, k), 'block');
        const rest = list
          .slice(k + 1)
          .map((s) => this.rw(s, ctx) as Statement | null)
          .filter((s): s is Statement => s !== null);
        const out = [...head, ...(last ? [] : this.resume(i + 1, ctx)), ...rest];
        return i === 0 ? out : [b.block(out)];
      }
      case 'LabeledStatement': {
        const labels: string[] = [];
        let j = i;
        for (let n: Node = node; n.type === 'LabeledStatement'; n = nodes[++j]) labels.push(n.label.name);
        if (isLoop(nodes[j])) return this.resumeLoop(j, labels, ctx);
        return [withLabels(labels, b.block(this.resume(j, ctx)))];
      }
      default:
        break;
    }
    if (isLoop(node)) return this.resumeLoop(i, [], ctx);
    if (last) {
      const stmt = this.rw(node, { ...ctx, replace: true }) as Statement | null;
      return stmt ? [stmt] : [];
    }
    const child = nodes[i + 1];
    switch (node.type) {
      case 'IfStatement':
        return this.resume(i + 1, ctx);
      case 'SwitchStatement':
        return this.resumeSwitch(i, ctx);
      case 'TryStatement': {
        const handler = node.handler ? (this.rw(node.handler, ctx) as typeof node.handler) : null;
        const finalizer = node.finalizer ? (this.rw(node.finalizer, ctx) as typeof node.finalizer) : null;
        if (child === node.block)
          return [{ ...node, block: this.resume(i + 1, ctx)[0], handler, finalizer } as Statement];
        // Resumed inside catch: the caught value is restored; the clause itself no longer applies.
        const param = node.handler!.param;
        const names = patternNames(param);
        const restored = names.length
          ? [this.declareFromSlot('let', this.slot('catch', node.handler!, names), names)]
          : [];
        const inner = b.block([...restored, ...this.resume(i + 1, ctx)]);
        return [finalizer ? ({ ...node, block: inner, handler: null, finalizer } as Statement) : inner];
      }
      default:
        throw new Error(`resume path through ${node.type} is not supported`);
    }
  }

  private resumeSwitch(i: number, ctx: Ctx): Statement[] {
    const node = this.input.path.nodes[i];
    if (node.type !== 'SwitchStatement') throw new Error('not a switch');
    const child = this.input.path.nodes[i + 1];
    const all = node.cases.flatMap((c) => c.consequent);
    const k = all.indexOf(child as Statement);
    const brk = this.fresh('brk');
    const inner: Ctx = { ...ctx, jumps: new Map(ctx.jumps).set(node, { brk }) };
    // One scope for all cases: bindings declared before the resumed statement are restored,
    // function declarations (hoisted over the whole switch) are re-created once.
    const head = this.restoreScope(node, all.slice(0, k), 'switch', all);
    const rest = all
      .slice(k + 1)
      .filter((s) => s.type !== 'FunctionDeclaration')
      .map((s) => this.rw(s, inner) as Statement);
    return [b.labeled(brk, b.block([...head, ...this.resume(i + 1, inner), ...rest]))];
  }

  private resumeLoop(j: number, labels: string[], ctx: Ctx): Statement[] {
    const { nodes, entry: pathEntry } = this.input.path;
    const loop = nodes[j];
    const entry = j === nodes.length - 1 ? pathEntry : 'body';
    if (entry === 'statement') return [withLabels(labels, this.rw(loop, { ...ctx, replace: true }) as Statement)];
    const brk = this.fresh('brk');
    const cont = this.fresh('cont');
    const inner: Ctx = { ...ctx, jumps: new Map(ctx.jumps).set(loop, { brk, cont }) };
    const r: LoopResume = { j, labels, ctx, entry, brk, cont, inner, first: { ...ctx, replace: true } };
    switch (loop.type) {
      case 'WhileStatement':
      case 'DoWhileStatement':
        return this.resumeWhile(loop, r);
      case 'ForStatement':
        return this.resumeFor(loop, r);
      case 'ForInStatement':
      case 'ForOfStatement':
        return this.resumeForInOf(loop, r);
      default:
        throw new Error(`not a loop: ${loop.type}`);
    }
  }

  /** A rewritten expression, or null for none. */
  private expr(n: Node | null | undefined, c: Ctx): Expression | null {
    return n ? (this.rw(n, c) as Expression) : null;
  }

  /** The rest of the interrupted iteration: from the resume point inside the body, or the whole body. */
  private partialBody(loop: { body: Node }, r: LoopResume): Statement[] {
    return r.entry === 'body' ? this.resume(r.j + 1, r.inner) : [this.rw(loop.body, r.inner) as Statement];
  }

  private resumeWhile(loop: WhileLoop, r: LoopResume): Statement[] {
    const { labels, ctx } = r;
    if (r.entry === 'loop-test') {
      const test = this.expr(loop.test, r.first)!;
      const again = { type: 'DoWhileStatement', body: this.rw(loop.body, ctx), test: this.expr(loop.test, ctx) };
      return [b.ifStmt(test, withLabels(labels, { ...again, start: 0, end: 0 } as Statement))];
    }
    const remainder = withLabels(labels, {
      type: 'WhileStatement',
      test: this.expr(loop.test, ctx),
      body: this.rw(loop.body, ctx),
      start: 0,
      end: 0,
    } as Statement);
    return [b.labeled(r.brk, b.block([b.labeled(r.cont, b.block(this.partialBody(loop, r))), remainder]))];
  }

  private resumeFor(loop: ForStatement, r: LoopResume): Statement[] {
    const init = loop.init;
    const lexical = init?.type === 'VariableDeclaration' && init.kind !== 'var' ? init : null;
    const names = lexical ? lexical.declarations.flatMap((d) => patternNames(d.id)) : [];
    const f: ForResume = {
      ...r,
      names,
      kind: lexical?.kind === 'const' ? 'const' : 'let',
      slot: names.length ? this.slot('for', loop, names) : -1,
      test: this.expr(loop.test, r.ctx),
      update: this.expr(loop.update, r.ctx),
    };
    if (r.entry === 'for-update') {
      const update = this.expr(loop.update, r.first)!;
      if (names.length) return [this.forRemainder(loop, f, (n) => this.slotRead(f.slot, n), update)];
      return [b.exprStmt(update), this.forRemainder(loop, f, () => b.id('undefined'), null)];
    }
    const partial: Statement[] =
      r.entry === 'for-test' && loop.test ? [b.ifStmt(b.not(this.expr(loop.test, r.first)!), b.breakTo(r.brk))] : [];
    partial.push(b.labeled(r.cont, b.block(this.partialBody(loop, r))));
    if (!names.length) {
      const update = f.update ? [b.exprStmt(f.update)] : [];
      return [
        b.labeled(r.brk, b.block([...partial, ...update, this.forRemainder(loop, f, () => b.id('undefined'), null)])),
      ];
    }
    return [b.labeled(r.brk, b.block(this.carriedIteration(loop, f, partial)))];
  }

  /**
   * The interrupted iteration in a block of its own, its bindings restored from `$ferry` and
   * carried out of it into the loop that goes on.
   */
  private carriedIteration(loop: ForStatement, f: ForResume, partial: Statement[]): Statement[] {
    const carriers = new Map(f.names.map((n) => [n, this.fresh(`c_${n}_`)]));
    const iteration = b.block([
      this.declareFromSlot(f.kind, f.slot, f.names),
      ...partial,
      b.exprStmt(b.sequence(f.names.map((n) => b.assign(b.id(carriers.get(n)!), b.id(n))))),
    ]);
    return [
      b.declare(
        'let',
        f.names.map((n) => [b.id(carriers.get(n)!), null]),
      ),
      iteration,
      this.forRemainder(loop, f, (n) => b.id(carriers.get(n)!), f.update),
    ];
  }

  /**
   * The loop going on after the interrupted iteration. Per-iteration bindings: its init copies the
   * carried values, then runs the update once in that fresh environment, as the original's next
   * iteration would.
   */
  private forRemainder(
    loop: ForStatement,
    f: ForResume,
    carry: (name: string) => Expression,
    firstUpdate: Expression | null,
  ): Statement {
    const decls: Array<[Pattern, Expression | null]> = f.names.map((n) => [b.id(n), carry(n)]);
    if (firstUpdate) {
      const discarded = { type: 'UnaryExpression', operator: 'void', prefix: true, argument: firstUpdate };
      decls.push([b.id(this.fresh('u')), { ...discarded, start: 0, end: 0 } as Expression]);
    }
    return withLabels(f.labels, {
      type: 'ForStatement',
      init: f.names.length ? b.declare(f.kind, decls) : null,
      test: f.test,
      update: f.update,
      body: this.rw(loop.body, f.ctx),
      start: 0,
      end: 0,
    } as Statement);
  }

  private resumeForInOf(loop: ForInOfLoop, r: LoopResume): Statement[] {
    const isAwait = loop.type === 'ForOfStatement' && loop.await;
    const position =
      loop.type === 'ForOfStatement' && !isAwait
        ? arrayLoopPosition(loop.right, loop.left, this.input.source)
        : undefined;
    const m =
      this.loops.push({
        kind: loop.type === 'ForInStatement' ? 'for-in' : isAwait ? 'for-await-of' : 'for-of',
        start: this.at(loop.start),
        right: this.input.source.slice(loop.right.start, loop.right.end),
        left: this.input.source.slice(loop.left.start, loop.left.end),
        ...(position ? { position } : {}),
      }) - 1;
    const left = loop.left;
    const lexical = left.type === 'VariableDeclaration' && left.kind !== 'var' ? left : null;
    const names = lexical ? patternNames(lexical.declarations[0].id) : [];
    const remainingLeft =
      left.type === 'VariableDeclaration' && left.kind === 'var'
        ? (this.rw(left.declarations[0].id, r.ctx) as Pattern)
        : (this.rw(left, r.ctx) as Pattern | VariableDeclaration);
    const rest = b.expr(`$ferry.loops[${m}]`);
    const first = this.input.pendingNext === 'awaited' ? FIRST_AWAITED : FIRST_FROM_INNER;
    const right = r.entry === 'for-next' && this.input.pendingNext ? b.call(b.expr(first), [rest]) : rest;
    const remainder = withLabels(r.labels, {
      type: 'ForOfStatement',
      await: isAwait,
      left: remainingLeft,
      right,
      body: this.rw(loop.body, r.ctx),
      start: 0,
      end: 0,
    } as Statement);
    if (r.entry === 'for-next') return [remainder];
    const kind = lexical?.kind === 'const' ? 'const' : 'let';
    const slotKind = loop.type === 'ForInStatement' ? 'for-in' : 'for-of';
    const restored = names.length ? [this.declareFromSlot(kind, this.slot(slotKind, loop, names), names)] : [];
    const iteration = b.block([...restored, b.labeled(r.cont, b.block(this.partialBody(loop, r)))]);
    return [b.labeled(r.brk, b.block([iteration, remainder]))];
  }

  // ---- restored bindings ----

  private slot(kind: BlockSlot['kind'], node: Node, names: string[]): number {
    return this.blocks.push({ kind, names, start: this.at(node.start), end: this.at(node.end) }) - 1;
  }

  private slotRead(slot: number, name: string): Expression {
    return b.member(b.expr(`$ferry.blocks[${slot}]`), name);
  }

  private declareFromSlot(kind: 'let' | 'const', slot: number, names: string[]): Statement {
    return b.declare(
      kind,
      names.map((n) => [b.id(n), this.slotRead(slot, n)]),
    );
  }

  /**
   * Re-opens a block scope at the resume point: its let/const/class bindings declared before the
   * point come from `$ferry`; function declarations (hoisted, so already alive) are re-created.
   */
  private restoreScope(
    scope: Node,
    before: Statement[],
    kind: BlockSlot['kind'],
    hoisted: Statement[] = before,
  ): Statement[] {
    if (scope === this.input.frame.body) return []; // function-level bindings are the caller's
    const lets: string[] = [];
    const consts: string[] = [];
    for (const s of before) {
      if (s.type === 'VariableDeclaration' && s.kind !== 'var')
        (s.kind === 'const' ? consts : lets).push(...s.declarations.flatMap((d) => patternNames(d.id)));
      if (s.type === 'ClassDeclaration') lets.push(s.id!.name);
    }
    const out: Statement[] = [];
    if (lets.length || consts.length) {
      const slot = this.slot(kind, scope, [...lets, ...consts]);
      if (lets.length) out.push(this.declareFromSlot('let', slot, lets));
      if (consts.length) out.push(this.declareFromSlot('const', slot, consts));
    }
    for (const s of hoisted) if (s.type === 'FunctionDeclaration') out.push(s);
    return out;
  }

  // ---- whole-subtree rewrite of code that runs again (or for the first time) in the variant ----

  private rw(node: Node, ctx: Ctx): Node | null {
    const replacement = this.input.replacement;
    if (ctx.replace && replacement && node === replacement.node) return replacement.with;
    const statement = this.rwStatement(node, ctx); // null is a rewrite: a declaration dropped
    const rewritten = statement !== undefined ? statement : this.rwExpression(node, ctx);
    return rewritten === NOT_SPECIAL ? mapChildren(node, (c) => this.rw(c, ctx)) : rewritten;
  }

  /** Declarations, loops and jumps whose rewrite is their own; NOT_SPECIAL for the others (undefined: not a statement). */
  private rwStatement(node: Node, ctx: Ctx): Node | null | typeof NOT_SPECIAL | undefined {
    switch (node.type) {
      case 'FunctionDeclaration':
        return this.bodyLevel.has(node) ? null : node;
      case 'ClassDeclaration':
        // A function-level class is the caller's binding: assign it, do not redeclare it.
        return this.bodyLevel.has(node)
          ? b.exprStmt(b.assign(b.id(node.id!.name), { ...node, type: 'ClassExpression' } as Expression))
          : node;
      case 'VariableDeclaration':
        if (ctx.inArrow || (node.kind !== 'var' && !this.bodyLevel.has(node)))
          return mapChildren(node, (c) => this.rw(c, ctx));
        return b.exprStmt(this.declarationAsAssignment(node, ctx));
      case 'ForStatement':
        if (node.init?.type === 'VariableDeclaration' && node.init.kind === 'var' && !ctx.inArrow) {
          const rest = mapChildren(node, (c) => (c === node.init ? c : this.rw(c, ctx)));
          return { ...rest, init: this.declarationAsAssignment(node.init, ctx) } as Node;
        }
        return NOT_SPECIAL;
      case 'ForInStatement':
      case 'ForOfStatement':
        if (node.left.type === 'VariableDeclaration' && node.left.kind === 'var' && !ctx.inArrow) {
          const rest = mapChildren(node, (c) => (c === node.left ? c : this.rw(c, ctx)));
          return { ...rest, left: this.rw(node.left.declarations[0].id, ctx) } as Node;
        }
        return NOT_SPECIAL;
      case 'BreakStatement':
      case 'ContinueStatement': {
        const target = this.input.jumpTargets.get(node);
        const jump = target && ctx.jumps.get(target);
        if (!jump) return node;
        return b.breakTo(node.type === 'ContinueStatement' ? jump.cont! : jump.brk);
      }
      case 'LabeledStatement':
        return { ...node, body: this.rw(node.body, ctx) } as Node;
      case 'ReturnStatement':
        if (!this.input.frame.constructorOf || ctx.inArrow) return NOT_SPECIAL;
        // A constructor's completion is its `this` unless it returns an object.
        return {
          ...node,
          argument: node.argument
            ? b.call(b.expr(CTOR_RESULT), [this.rw(node.argument, ctx) as Expression, this.self])
            : this.self,
        };
      default:
        return undefined;
    }
  }

  /** Functions, `this`, `new.target`, `arguments` and `super`, as the variant must read them; NOT_SPECIAL for the others. */
  private rwExpression(node: Node, ctx: Ctx): Node | typeof NOT_SPECIAL {
    switch (node.type) {
      case 'FunctionExpression':
      case 'ClassExpression':
      case 'ClassBody':
        return node;
      case 'ArrowFunctionExpression':
        return mapChildren(node, (c) => this.rw(c, { jumps: new Map(), inArrow: true, replace: false }));
      case 'ThisExpression':
        return this.derived ? b.id('$this') : node;
      case 'MetaProperty':
        if (node.meta.name !== 'new') return node;
        this.uses.newTarget = true;
        return b.expr('$ferry.newTarget');
      case 'Identifier':
        return node.name === 'arguments' ? b.id(ARGUMENTS) : node;
      case 'MemberExpression': {
        if (node.object.type === 'Super') return this.superGet(node, ctx);
        const object = this.rw(node.object, ctx) as Expression;
        const property = node.computed ? (this.rw(node.property, ctx) as Expression) : node.property;
        return object === node.object && property === node.property ? node : { ...node, object, property };
      }
      case 'Property': {
        const key = node.computed ? (this.rw(node.key, ctx) as Expression) : node.key;
        const value = this.rw(node.value, ctx) as Expression;
        return key === node.key && value === node.value ? node : { ...node, key, value, shorthand: false };
      }
      case 'CallExpression':
        if (node.callee.type === 'Super') return this.superCall(node, ctx);
        if (node.callee.type !== 'MemberExpression' || node.callee.object.type !== 'Super') return NOT_SPECIAL;
        return b.call(b.member(this.superGet(node.callee, ctx), 'call'), [
          this.self,
          ...node.arguments.map((a) => this.rw(a, ctx) as Expression),
        ]);
      case 'AssignmentExpression':
        if (node.left.type !== 'MemberExpression' || node.left.object.type !== 'Super') return NOT_SPECIAL;
        this.uses.home = true;
        return b.call(b.expr('Reflect.set'), [
          b.expr('Object.getPrototypeOf($ferry.home)'),
          this.superKey(node.left, ctx),
          this.rw(node.right, ctx) as Expression,
          this.self,
        ]);
      default:
        return NOT_SPECIAL;
    }
  }

  private declarationAsAssignment(node: VariableDeclaration, ctx: Ctx): Expression {
    // var (and function-level let/const) bindings belong to the caller's wrapper scope:
    // assign them; a declaration here would shadow the restored binding.
    const parts = node.declarations
      .filter((d) => d.init || node.kind !== 'var')
      .map((d) =>
        b.assign(this.rw(d.id, ctx) as Pattern, d.init ? (this.rw(d.init, ctx) as Expression) : b.id('undefined')),
      );
    return parts.length ? b.sequence(parts) : b.expr('void 0');
  }

  private superKey(node: { property: Node; computed: boolean }, ctx: Ctx): Expression {
    return node.computed
      ? (this.rw(node.property, ctx) as Expression)
      : b.literal((node.property as { name: string }).name);
  }

  private superGet(node: { property: Node; computed: boolean }, ctx: Ctx): Expression {
    // super.x looks x up on the prototype of the method's home object, with `this` as receiver.
    this.uses.home = true;
    return b.call(b.expr('Reflect.get'), [
      b.expr('Object.getPrototypeOf($ferry.home)'),
      this.superKey(node, ctx),
      this.self,
    ]);
  }

  private superCall(node: { arguments: Node[] }, ctx: Ctx): Expression {
    this.uses.superConstructor = true;
    this.uses.newTarget = true;
    const args = {
      type: 'ArrayExpression',
      elements: node.arguments.map((a) => this.rw(a, ctx)),
      start: 0,
      end: 0,
    } as Expression;
    return b.assign(
      b.id('$this'),
      b.call(b.expr('Reflect.construct'), [b.expr('$ferry.superConstructor'), args, b.expr('$ferry.newTarget')]),
    );
  }
}

/** What a rewrite of one kind of node returns for a node it has nothing special to do with: its children are rewritten. */
const NOT_SPECIAL = Symbol('not special');

function withLabels(labels: string[], stmt: Statement): Statement {
  return labels.reduceRight((s, l) => b.labeled(l, s), stmt);
}

const CTOR_RESULT = '(($r, $t) => ($r !== null && typeof $r === "object") || typeof $r === "function" ? $r : $t)';

// An iterable whose first step is the inner frame's pending next() and the rest come from `rest`.
const FIRST_FROM_INNER =
  '(($rest) => { let $first = true; return { [Symbol.iterator]() { return this; }, next(v) { if ($first) { $first = false; return $ferry.inner(); } return $rest.next(v); }, return(v) { return typeof $rest.return === "function" ? $rest.return(v) : { done: true, value: v }; } }; })';
// The same for a `for await` suspended at its await of next(): the first step is that next()'s promise.
const FIRST_AWAITED =
  '(($rest) => { let $first = true; return { [Symbol.asyncIterator]() { return this; }, next(v) { if ($first) { $first = false; return $ferry.awaited; } return $rest.next(v); }, return(v) { return typeof $rest.return === "function" ? $rest.return(v) : { done: true, value: v }; } }; })';
