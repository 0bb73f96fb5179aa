// Re-creates user functions inside re-created closure contexts. Each captured context becomes a
// factory scope declaring its variables; the functions that closed over it are created inside it,
// so they share it exactly as before; variable values are assigned once every object exists.
import { FACTORY_LOCALS, HOME_OBJECT_VARIABLE, K, RESTORE_HELPER_PARAMETERS } from '../heap/tags';
import { HOLE, Ref, type HeapRecord, type RecordOf } from '../heap/decoder';
import { PRIVATE_NAME, functionExpression, lexicalName, isStrictScript } from './function-source';
import { superOf } from '../heap/super-home';
import {
  Marks,
  VariantLayout,
  lineBreaks,
  lineStarts,
  originalPosition,
  stackName,
  type LaidOutVariant,
  type Placement,
  type Position,
} from './layout';
import type { Anchor } from '../resume/index';
import type { FunctionSite, SourceEntry } from '../format/sections';
import type { PrivateStamp } from './privates';
import { liveScope, type BindingRef, type LivePlan } from './live-bindings';
import { classHosts, type ClassHosts } from './class-hosts';
import { Script, constants } from 'node:vm';
import type { ProgramFunction, ProgramValue } from '../heap/program-value';

export interface ContextNode {
  id: number | null;
  names: string[];
  functions: number[];
  variants: number[];
  children: ContextNode[];
  strict: boolean;
}

/** A resumed frame's variant, to be created inside the context its function closed over. */
export interface VariantPlacement {
  context: number | null;
  /** `(function name$resume($ferry) {...})` (snapshot/resume). */
  code: string;
  /** The frame's bindings the context does not already declare: the wrapper declares them. */
  declare: string[];
  /** Where the frame is paused (0-based), to find the class whose body must hold its variant. */
  at?: { scriptId: string; line: number; column: number };
  /** The program's nodes in `code` and their places in the frame's file (resume/placed.ts). */
  anchors: Anchor[];
  /** The frame's file as V8 names it (layout.ts stackName); undefined for a script without one. */
  file?: string;
}

/**
 * Makes a frame's variant, closed over fresh bindings; `assign` gives them the frame's values (by
 * name). Two steps, because a suspended generator's object must exist before those values do.
 */
export type VariantWrapper = () => { variant: ProgramFunction; assign(values: Record<string, unknown>): void };

export interface CreatedFunctions {
  /** Assigns the captured values to every context variable. */
  assignContexts(resolve: (slot: unknown) => unknown): void;
  /** One per VariantPlacement, in order. */
  variantWrappers: VariantWrapper[];
  /** The current value of a module binding others read live (see live-bindings.ts). */
  readLive(binding: BindingRef): unknown;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Where a function's text stood: in which script (by the name V8 shows) and at what line and column. */
function placer(scripts: Map<string, SourceEntry>): (site: FunctionSite) => Placement {
  // Per script, once: thousands of functions may come from one large file.
  const starts = new Map<string, number[]>();
  const placed = new Map<FunctionSite, Placement>();
  return (site) => placed.get(site) ?? placed.set(site, placeSite(site)).get(site)!;
  function placeSite(site: FunctionSite): Placement {
    const script = scripts.get(site.scriptId);
    if (!script?.url) return { name: 'ferry://restored/unnamed.js' };
    if (!starts.has(site.scriptId)) starts.set(site.scriptId, lineStarts(script.source));
    return {
      name: stackName(script),
      at: originalPosition(site.source, script.source, starts.get(site.scriptId)!, site),
    };
  }
}

/** A function (or a child context's factory) to write into its context's factory, and where its text stands. */
interface Piece {
  code: string;
  at?: Position;
  /** A function's end (a factory's is not needed). */
  end?: Position;
}

const compare = (a: Position, b: Position) => a.line - b.line || a.column - b.column;

function endOf(at: Position, text: string): Position {
  const { count, lastLineStart } = lineBreaks(text);
  return count === 0
    ? { line: at.line, column: at.column + text.length }
    : { line: at.line + count, column: text.length - lastLineStart };
}

/**
 * The statements making a factory's functions and child contexts, in the order their texts stand in
 * the file, so that layout.ts can place each at its line. A function holding a child's closures in
 * its text comes last: it is made by an eval (its name shows in stacks, where an anonymous closure's
 * would read `eval`), and the closures keep their place in the script.
 */
function inTextOrder(fns: Piece[], children: Piece[]): string {
  const items = [
    ...fns.map((piece, i) => ({ piece, statement: `${FACTORY_LOCALS.fns}[${i}] = ${piece.code};` })),
    ...children.map((piece, i) => ({ piece, statement: `${FACTORY_LOCALS.children}[${i}] = ${piece.code};` })),
  ];
  // Whether a child starts inside a function's text: one binary search among the children's starts.
  const starts = children.flatMap((child) => (child.at ? [child.at] : [])).sort(compare);
  const holdsChild = ({ at, end }: Piece) => {
    if (!at || !end) return false;
    let low = 0;
    for (let high = starts.length; low < high;) {
      const middle = (low + high) >>> 1;
      if (compare(starts[middle], at) < 0) low = middle + 1;
      else high = middle;
    }
    return low < starts.length && compare(starts[low], end) < 0;
  };
  const keyed = items.map((item) => ({
    item,
    key:
      item.piece.at === undefined || holdsChild(item.piece)
        ? Infinity
        : item.piece.at.line * 2 ** 20 + item.piece.at.column,
  }));
  return keyed
    .sort((a, b) => (a.key === b.key ? 0 : a.key < b.key ? -1 : 1))
    .map(({ item }) => item.statement)
    .join(' ');
}

export interface FunctionOptions {
  /** Function records not to create (class members come from their class). */
  skip: Set<number>;
  /** What a derived class extends while it is made (its real parent is set afterwards). */
  heritage: (id: number) => unknown;
  variants?: VariantPlacement[];
  /** Classes that make instances without running their code (private members: see PrivateStamp). */
  stamped: Set<number>;
  /** `$ferryStamp` in the generated code. */
  stamp: PrivateStamp;
  /** ES module bindings read live across modules. */
  live: LivePlan;
}

/** Creates every function record not in `options.skip`, storing each into `objects[id]`. */
export function createFunctions(
  records: HeapRecord[],
  sites: FunctionSite[],
  sources: SourceEntry[],
  objects: unknown[],
  options: FunctionOptions,
): CreatedFunctions {
  const variants = options.variants ?? [];
  const tree = contextTree(records, sites, sources, options.skip);
  const topVariants = placeVariants(tree, records, variants);
  const factories = new Factories(records, sites, sources, tree, { ...options, variants });
  factories.run(objects);
  for (const slot of topVariants) {
    // A script of its own, in the global scope: a function of an eval's with no name would show as `eval`.
    const laid = factories.laidOutVariant(slot);
    const script = new Script(laid.text(), {
      filename: laid.name,
      importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    factories.variantWrappers[slot] = script.runInThisContext();
  }
  return {
    variantWrappers: factories.variantWrappers,
    readLive: factories.readLive,
    assignContexts: (resolve) => factories.assignContexts(resolve),
  };
}

/** The closure contexts as a tree (the top level its root), each with the functions created in it. */
interface ContextTree {
  root: ContextNode;
  /** The node of a context record (made with its parents if need be), or the root for null. */
  node(id: number | null): ContextNode;
}

function contextTree(
  records: HeapRecord[],
  sites: FunctionSite[],
  sources: SourceEntry[],
  skip: Set<number>,
): ContextTree {
  const strictScripts = new Set(sources.filter((s) => s.module || isStrictScript(s.source)).map((s) => s.scriptId));
  const nodes = new Map<number | null, ContextNode>();
  const node = (id: number | null): ContextNode => {
    let n = nodes.get(id);
    if (!n) {
      const record = id === null ? undefined : (records[id] as RecordOf<K.Context>);
      n = { id, names: record?.names ?? [], functions: [], variants: [], children: [], strict: false };
      nodes.set(id, n);
      if (record) node(record.parent instanceof Ref ? record.parent.id : null).children.push(n);
    }
    return n;
  };
  const root = node(null);
  records.forEach((record, id) => {
    if (record.kind === K.Context) node(id);
    if (record.kind !== K.Function || skip.has(id)) return;
    const ctx = node(record.context instanceof Ref ? record.context.id : null);
    ctx.functions.push(id);
    if (strictScripts.has(sites[record.site]?.scriptId)) ctx.strict = true;
  });
  return { root, node };
}

/** Puts each frame's variant in the context it closed over; returns those made at the top level on their own. */
function placeVariants(tree: ContextTree, records: HeapRecord[], variants: VariantPlacement[]): number[] {
  const topVariants: number[] = [];
  variants.forEach((v, i) => {
    if (v.context !== null && records[v.context]?.kind !== K.Context)
      throw new Error(`checkpoint corrupted: frame ${i} names no context`);
    // At the top level the factory's strictness is a mix of scripts': top-level variants get a chunk
    // of their own, unless they name private members (a class of the top level must hold them).
    if (v.context === null && !PRIVATE_NAME.test(v.code)) topVariants.push(i);
    else tree.node(v.context).variants.push(i);
  });
  return topVariants;
}

/** The function making a frame's variant (VariantWrapper), as code: the variant's, between a prefix and a suffix on one line. */
function variantWrapper({ code, declare, anchors }: VariantPlacement) {
  const assign = declare.map((name) => `${name} = $ferryFrame[${JSON.stringify(name)}];`).join(' ');
  return {
    prefix: `(function () { ${declare.length ? `let ${declare.join(', ')};` : ''} return { variant: `,
    code,
    suffix: `, assign($ferryFrame) { ${assign} } }; })`,
    anchors,
  };
}

/**
 * Writes each context's factory (a function declaring its variables, creating its functions and
 * its children's factories), compiles them under the original files' names and collects what
 * they made.
 */
class Factories {
  readonly variantWrappers: VariantWrapper[] = [];
  private readonly place: (site: FunctionSite) => Placement;
  private readonly marks = new Marks();
  private readonly variantLayout = new VariantLayout();
  private readonly hosts: ClassHosts;
  private readonly setters: Array<{ id: number; set: (values: Record<string, unknown>) => void }> = [];
  private readonly readers = new Map<number, Record<string, () => unknown>>();
  private readonly firsts = new Map<ContextNode, Position | undefined>();

  constructor(
    private readonly records: HeapRecord[],
    private readonly sites: FunctionSite[],
    sources: SourceEntry[],
    private readonly tree: ContextTree,
    private readonly options: FunctionOptions & { variants: VariantPlacement[] },
  ) {
    const scripts = new Map(sources.map((s) => [s.scriptId, s]));
    this.place = placer(scripts);
    this.hosts = classHosts(tree.root, records, sites, scripts, options.variants);
  }

  readonly readLive = liveReader(this.readers);

  /** Each context at the top level in a chunk of its own (its own strictness), unless a class hosts it. */
  run(objects: unknown[]): void {
    const root = this.tree.root;
    const separate = root.children.filter((child) => !this.hosts.contexts.has(child));
    root.children = root.children.filter((child) => this.hosts.contexts.has(child));
    let chunk = 0;
    for (const top of [root, ...separate]) {
      const laid = this.marks.layOut(
        // $ferryEarly is let go once the factory ran: kept in the restored functions' scope, it would
        // reach the restore runtime's own code (and a later checkpoint would carry it).
        `(function (${RESTORE_HELPER_PARAMETERS.join(', ')}) { try { return ${this.factory(top)}; } finally { $ferryEarly = undefined; } })`,
      );
      // A script in the global scope, so the only bindings in reach are the ones we declare.
      const script = new Script(laid.code, {
        filename: laid.name ?? `ferry://restored/chunk-${++chunk}.js`,
        lineOffset: laid.lineOffset,
        // `import()` in a restored function resolves from its own file, as it did in the original.
        importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      });
      const { heritage, stamp, live } = this.options;
      const readLive = this.readLive;
      const early = earlyReader(this.records, objects);
      // What the restored functions' scopes keep (for as long as the program runs) must not keep `this`.
      const made = script.runInThisContext()(
        heritage,
        stamp,
        (id: number) => liveScope(live.imports.get(id)!, readLive),
        superOf,
        early.read,
      );
      early.release();
      this.collect(top, made, objects);
    }
  }

  assignContexts(resolve: (slot: unknown) => unknown): void {
    for (const { id, set } of this.setters) {
      const record = this.records[id] as RecordOf<K.Context>;
      const values: Record<string, unknown> = Object.create(null);
      record.names.forEach((name, i) => (values[name] = resolve(record.values[i])));
      set(values);
    }
  }

  /** A context's factory: an expression making its variables, functions and children, returning them. */
  private factory(n: ContextNode): string {
    const { live } = this.options;
    const liveImports = n.id === null ? undefined : live.imports.get(n.id);
    // Names read live from another module are not declared: the `with` object below has them.
    const names = n.names.filter((name) => (IDENTIFIER.test(name) || lexicalName(name)) && !liveImports?.has(name));
    const body = this.factoryBody(n, names);
    const early = this.earlyIndexes(n.id);
    const declaration = (name: string) =>
      early.has(name) ? `${localName(name)} = $ferryEarly(${n.id}, ${early.get(name)})` : localName(name);
    const declared = names.length ? `let ${names.map(declaration).join(', ')};` : '';
    // `with` is sloppy-mode only: it stays outside, the module's own code inside is strict again.
    if (liveImports)
      return `(function () { ${declared} with ($ferryLive(${n.id})) return (function () {"use strict"; ${body} })(); })()`;
    return `(function () {${n.strict ? '"use strict";' : ''} ${declared} ${body} })()`;
  }

  /**
   * A context's variables given their values as they are declared, before any function of the
   * factory is made: a class made again evaluates its computed member keys (`[kDestroyed]`, a
   * module's symbol) at once, and the capture let such a key read only a primitive or a symbol
   * never reassigned, both of which exist before any function does. Every other value comes later.
   */
  private earlyIndexes(context: number | null): Map<string, number> {
    const early = new Map<string, number>();
    if (context === null) return early;
    const record = this.records[context] as RecordOf<K.Context>;
    record.names.forEach((name, i) => {
      const slot = record.values[i];
      const ready = slot instanceof Ref ? this.records[slot.id].kind === K.Symbol : slot !== HOLE;
      if (ready) early.set(name, i);
    });
    return early;
  }

  private factoryBody(n: ContextNode, names: string[]): string {
    // Contexts whose functions name a class's private members are made inside that class's body.
    const hosted = n.children.filter((child) => this.hosts.contexts.has(child));
    const hostedVariants = n.variants.filter((i) => this.hosts.variants.has(i));
    const fns = n.functions.map((id) => this.functionPiece(id, hosted, hostedVariants));
    const children = n.children.map((child): Piece =>
      this.hosts.contexts.has(child)
        ? { code: `${FACTORY_LOCALS.hosted}[${hosted.indexOf(child)}]` }
        : { code: this.factory(child), at: this.firstPlaced(child) },
    );
    const variants = n.variants.map((i) =>
      this.hosts.variants.has(i)
        ? `${FACTORY_LOCALS.hostedVariants}[${hostedVariants.indexOf(i)}]`
        : this.placedWrapper(i),
    );
    const setter = names.map((name) => `${localName(name)} = $v[${JSON.stringify(name)}];`).join(' ');
    const liveExports = n.id === null ? [] : [...(this.options.live.exported.get(n.id) ?? [])];
    const readers = liveExports.map((name) => `${JSON.stringify(name)}: () => ${name}`).join(', ');
    // No line breaks between the pieces: the functions' texts are placed at their lines (layout.ts).
    const {
      fns: fnsArray,
      children: childrenArray,
      hosted: hostedArray,
      hostedVariants: variantsArray,
    } = FACTORY_LOCALS;
    const arrays = [
      hosted.length ? `${hostedArray} = [], ` : '',
      hostedVariants.length ? `${variantsArray} = [], ` : '',
    ];
    return `const ${arrays.join('')}${fnsArray} = [], ${childrenArray} = []; ${inTextOrder(fns, children)} return { set: function ($v) { ${setter} }, fns: ${fnsArray}, variants: [${variants.join(',')}], children: ${childrenArray}, live: { ${readers} } };`;
  }

  /** A function of a context, with the hosted contexts and variants its class body must make. */
  private functionPiece(id: number, hosted: ContextNode[], hostedVariants: number[]): Piece {
    const record = this.records[id] as RecordOf<K.Function>;
    const site = this.sites[record.site];
    if (!site) throw new Error(`checkpoint corrupted: function ${id} has no source`);
    const inside = [
      ...hosted
        .filter((child) => this.hosts.contexts.get(child) === id)
        .map((child) => `${FACTORY_LOCALS.hosted}[${hosted.indexOf(child)}] = ${this.factory(child)};`),
      ...hostedVariants
        .filter((i) => this.hosts.variants.get(i) === id)
        .map((i) => `${FACTORY_LOCALS.hostedVariants}[${hostedVariants.indexOf(i)}] = ${this.placedWrapper(i)};`),
    ];
    const expr = this.expressionOf(record.site, {
      stamped: this.options.stamped.has(id),
      hosted: inside.join(' '),
      superHome: this.declaresHome(record.context),
    });
    const placement = this.place(site);
    const code = this.marks.wrap(expr.code, expr.textStart, placement);
    return {
      code: expr.derived ? `(function ($ferryHeritage) { return ${code}; })($h(${id}))` : code,
      at: placement.at,
      end: placement.at && this.endOfSite(record.site, placement.at),
    };
  }

  private readonly expressions = new Map<string, ReturnType<typeof functionExpression>>();
  private readonly ends = new Map<number, Position>();

  /** A site's function expression, once per site and options: thousands of closures may share one (each is a parse). */
  private expressionOf(site: number, options: { stamped: boolean; hosted: string; superHome: boolean }) {
    const key = `${site} ${options.stamped} ${options.superHome} ${options.hosted}`;
    let expr = this.expressions.get(key);
    if (!expr) this.expressions.set(key, (expr = functionExpression(this.sites[site].source, options)));
    return expr;
  }

  /** Where a site's text ends, once per site. */
  private endOfSite(site: number, at: Position): Position {
    let end = this.ends.get(site);
    if (!end) this.ends.set(site, (end = endOf(at, this.sites[site].source)));
    return end;
  }

  /** The capture gives an object-literal method using `super` a context of its own holding its home object. */
  private declaresHome(slot: unknown): boolean {
    return slot instanceof Ref && (this.records[slot.id] as RecordOf<K.Context>).names.includes(HOME_OBJECT_VARIABLE);
  }

  /**
   * A frame's variant made by an eval where it stands (in the scope of its context), named as its
   * file. In an arrow of its own: a sloppy eval slows the lookups of the scope it runs in.
   */
  private placedWrapper(i: number): string {
    return `(() => eval(${this.laidOutVariant(i).expression()}))()`;
  }

  laidOutVariant(i: number): LaidOutVariant {
    const placement = this.options.variants[i];
    return this.variantLayout.layOut(variantWrapper(placement), placement.file, `ferry://restored/frame-${i}.js`);
  }

  /** Where a context's first function stands (its children's included): where its factory is best written. */
  private firstPlaced(n: ContextNode): Position | undefined {
    if (this.firsts.has(n)) return this.firsts.get(n);
    const positions = [
      ...n.functions.map((id) => this.place(this.sites[(this.records[id] as RecordOf<K.Function>).site]).at),
      ...n.children.map((child) => this.firstPlaced(child)),
    ];
    this.firsts.set(n, positions.filter((p) => p !== undefined).sort(compare)[0]);
    return this.firsts.get(n);
  }

  /** Takes what a factory made: its functions into `objects`, its variants, setter and live readers. */
  private collect(n: ContextNode, made: ProgramValue, objects: unknown[]): void {
    n.functions.forEach((id, i) => (objects[id] = made.fns[i]));
    n.variants.forEach((slot, i) => (this.variantWrappers[slot] = made.variants[i]));
    if (n.id !== null) this.setters.push({ id: n.id, set: made.set });
    if (n.id !== null && this.options.live.exported.has(n.id)) this.readers.set(n.id, made.live);
    n.children.forEach((child, i) => this.collect(child, made.children[i], objects));
  }
}

/**
 * `$ferryEarly` in the generated code: reads a context's early values (earlyIndexes) while its
 * factory runs. Every restored function's scope keeps it, so it lets go of the heap once released:
 * kept, it would keep every object alive (a FinalizationRegistry's targets never collected).
 */
function earlyReader(
  records: HeapRecord[],
  objects: unknown[],
): { read: (context: number, i: number) => unknown; release(): void } {
  let heap: { records: HeapRecord[]; objects: unknown[] } | undefined = { records, objects };
  return {
    read: (context, i) => {
      const slot = (heap!.records[context] as RecordOf<K.Context>).values[i];
      return slot instanceof Ref ? heap!.objects[slot.id] : slot;
    },
    release: () => (heap = undefined),
  };
}

/** A variable's name in the generated code (a lexical name captured under another spelling: function-source.ts). */
function localName(name: string): string {
  return lexicalName(name) ?? name;
}

/** Reads a live binding from the readers of its module's scope (only they are kept, not the factories). */
function liveReader(readers: Map<number, Record<string, () => unknown>>): (binding: BindingRef) => unknown {
  return (binding) => readers.get(binding.context)![binding.name]();
}
