// Re-creates user functions inside re-created closure contexts. Each captured context becomes a
// factory scope declaring its variables; the functions that closed over it are created inside it,
// so they share it exactly as before; variable values are assigned once every object exists.
import { HOME_OBJECT_VARIABLE, K } from '../heap/tags';
import { Ref, type HeapRecord } from './decode';
import { functionExpression, lexicalName, isStrictScript, superOf } from './function-source';
import { Marks, lineBreaks, lineStarts, originalPosition, stackName, type Placement, type Position } from './layout';
import type { FunctionSite, SourceEntry } from '../format/sections';
import type { PrivateStamp } from './privates';
import { liveScope, type BindingRef, type LivePlan } from './live-bindings';
import { PRIVATE_NAME, classHosts } from './class-hosts';
import { Script, constants } from 'node:vm';

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
}

/**
 * Makes a frame's variant, closed over fresh bindings; `assign` gives them the frame's values (by
 * name). Two steps, because a suspended generator's object must exist before those values do.
 */
export type VariantWrapper = () => { variant: Function; assign(values: Record<string, unknown>): void };

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
    ...fns.map((piece, i) => ({ piece, statement: `$ferryFns[${i}] = ${piece.code};` })),
    ...children.map((piece, i) => ({ piece, statement: `$ferryChildren[${i}] = ${piece.code};` })),
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

/**
 * A frame's resume variant is generated code: it is made by an eval named as such, not as the
 * original file. In an arrow of its own: a sloppy eval slows the lookups of the scope it runs in.
 */
function generatedCode(code: string, name: string): string {
  return `(() => eval(${JSON.stringify(`(${code})\n//# sourceURL=ferry://restored/${name}.js`)}))()`;
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
  const { skip, heritage, variants = [], stamped, stamp, live } = options;
  const strictScripts = new Set(sources.filter((s) => s.module || isStrictScript(s.source)).map((s) => s.scriptId));
  const nodes = new Map<number | null, ContextNode>();
  const node = (id: number | null): ContextNode => {
    let n = nodes.get(id);
    if (!n) {
      const record = id === null ? undefined : (records[id] as Extract<HeapRecord, { kind: K.Context }>);
      n = { id, names: record?.names ?? [], functions: [], variants: [], children: [], strict: false };
      nodes.set(id, n);
      if (record) node(record.parent instanceof Ref ? record.parent.id : null).children.push(n);
    }
    return n;
  };
  node(null);
  records.forEach((record, id) => {
    if (record.kind === K.Context) node(id);
    if (record.kind !== K.Function || skip.has(id)) return;
    const ctx = node(record.context instanceof Ref ? record.context.id : null);
    ctx.functions.push(id);
    if (strictScripts.has(sites[record.site]?.scriptId)) ctx.strict = true;
  });
  const topVariants: number[] = [];
  variants.forEach((v, i) => {
    if (v.context !== null && records[v.context]?.kind !== K.Context)
      throw new Error(`checkpoint corrupted: frame ${i} names no context`);
    // At the top level the factory's strictness is a mix of scripts': top-level variants get a chunk
    // of their own, unless they name private members (a class of the top level must hold them).
    if (v.context === null && !PRIVATE_NAME.test(v.code)) topVariants.push(i);
    else node(v.context).variants.push(i);
  });
  const wrapper = (i: number) => {
    const { code, declare } = variants[i];
    return `function () { ${declare.length ? `let ${declare.join(', ')};` : ''} return { variant: ${code}, assign($ferryFrame) { ${declare.map((name) => `${name} = $ferryFrame[${JSON.stringify(name)}];`).join(' ')} } }; }`;
  };
  const placedWrapper = (i: number) => generatedCode(wrapper(i), `frame-${i}`);

  const scripts = new Map(sources.map((s) => [s.scriptId, s]));
  const place = placer(scripts);
  // Per site and options, once: thousands of closures may share one site (each parse is acorn's).
  const expressions = new Map<string, ReturnType<typeof functionExpression>>();
  const expressionOf = (site: number, options: { stamped: boolean; hosted: string; superHome: boolean }) => {
    const key = `${site} ${options.stamped} ${options.superHome} ${options.hosted}`;
    let expr = expressions.get(key);
    if (!expr) expressions.set(key, (expr = functionExpression(sites[site].source, options)));
    return expr;
  };
  const ends = new Map<number, Position>();
  const endOfSite = (site: number, at: Position) => {
    let end = ends.get(site);
    if (!end) ends.set(site, (end = endOf(at, sites[site].source)));
    return end;
  };
  const marks = new Marks();
  const hosts = classHosts(nodes.get(null)!, records, sites, scripts, variants);
  const setters: Array<{ id: number; set: (values: Record<string, unknown>) => void }> = [];
  const readers = new Map<number, Record<string, () => unknown>>();
  const readLive = (binding: BindingRef) => readers.get(binding.context)![binding.name]();
  // The capture gives an object-literal method using `super` a context of its own holding its home object.
  const declaresHome = (slot: unknown) =>
    slot instanceof Ref &&
    (records[slot.id] as Extract<HeapRecord, { kind: K.Context }>).names.includes(HOME_OBJECT_VARIABLE);
  const emit = (n: ContextNode): string => {
    const liveImports = n.id === null ? undefined : live.imports.get(n.id);
    const liveExports = n.id === null ? [] : [...(live.exported.get(n.id) ?? [])];
    // Names read live from another module are not declared: the `with` object below has them.
    const names = n.names.filter((name) => (IDENTIFIER.test(name) || lexicalName(name)) && !liveImports?.has(name));
    const local = (name: string) => lexicalName(name) ?? name;
    // Contexts whose functions name a class's private members are made inside that class's body.
    const hosted = n.children.filter((child) => hosts.contexts.has(child));
    const hostedVariants = n.variants.filter((i) => hosts.variants.has(i));
    const fns = n.functions.map((id): Piece => {
      const record = records[id] as Extract<HeapRecord, { kind: K.Function }>;
      const site = sites[record.site];
      if (!site) throw new Error(`checkpoint corrupted: function ${id} has no source`);
      const inside = [
        ...hosted
          .filter((child) => hosts.contexts.get(child) === id)
          .map((child) => `$ferryHosted[${hosted.indexOf(child)}] = ${emit(child)};`),
        ...hostedVariants
          .filter((i) => hosts.variants.get(i) === id)
          .map((i) => `$ferryHostedVariants[${hostedVariants.indexOf(i)}] = ${placedWrapper(i)};`),
      ];
      const expr = expressionOf(record.site, {
        stamped: stamped.has(id),
        hosted: inside.join(' '),
        superHome: declaresHome(record.context),
      });
      const placement = place(site);
      const code = marks.wrap(expr.code, expr.textStart, placement);
      return {
        code: expr.derived ? `(function ($ferryHeritage) { return ${code}; })($h(${id}))` : code,
        at: placement.at,
        end: placement.at && endOfSite(record.site, placement.at),
      };
    });
    const children = n.children.map((child): Piece =>
      hosts.contexts.has(child)
        ? { code: `$ferryHosted[${hosted.indexOf(child)}]` }
        : { code: emit(child), at: firstPlaced(child) },
    );
    // No line breaks between the pieces: the functions' texts are placed at their lines (layout.ts).
    const body = `${hosted.length ? 'const $ferryHosted = [];' : ''} ${hostedVariants.length ? 'const $ferryHostedVariants = [];' : ''} const $ferryFns = [], $ferryChildren = []; ${inTextOrder(fns, children)} return { set: function ($v) { ${names.map((name) => `${local(name)} = $v[${JSON.stringify(name)}];`).join(' ')} }, fns: $ferryFns, variants: [${n.variants.map((i) => (hosts.variants.has(i) ? `$ferryHostedVariants[${hostedVariants.indexOf(i)}]` : placedWrapper(i))).join(',')}], children: $ferryChildren, live: { ${liveExports.map((name) => `${JSON.stringify(name)}: () => ${name}`).join(', ')} } };`;
    const declared = names.length ? `let ${names.map(local).join(', ')};` : '';
    // `with` is sloppy-mode only: it stays outside, the module's own code inside is strict again.
    if (liveImports)
      return `(function () { ${declared} with ($ferryLive(${n.id})) return (function () {"use strict"; ${body} })(); })()`;
    return `(function () {${n.strict ? '"use strict";' : ''} ${declared} ${body} })()`;
  };
  // Where a context's first function stands (its children's included): where its factory is best written.
  const firsts = new Map<ContextNode, Position | undefined>();
  const firstPlaced = (n: ContextNode): Position | undefined => {
    if (firsts.has(n)) return firsts.get(n);
    const positions = [
      ...n.functions.map((id) => place(sites[(records[id] as Extract<HeapRecord, { kind: K.Function }>).site]).at),
      ...n.children.map(firstPlaced),
    ];
    firsts.set(n, positions.filter((p) => p !== undefined).sort(compare)[0]);
    return firsts.get(n);
  };
  const variantWrappers: VariantWrapper[] = [];
  const collect = (n: ContextNode, made: any): void => {
    n.functions.forEach((id, i) => (objects[id] = made.fns[i]));
    n.variants.forEach((slot, i) => (variantWrappers[slot] = made.variants[i]));
    if (n.id !== null) setters.push({ id: n.id, set: made.set });
    if (n.id !== null && live.exported.has(n.id)) readers.set(n.id, made.live);
    n.children.forEach((child, i) => collect(child, made.children[i]));
  };
  const root = nodes.get(null)!;
  let chunk = 0;
  // Each context at the top level in a chunk of its own (its own strictness), unless a class hosts it.
  const separate = root.children.filter((child) => !hosts.contexts.has(child));
  root.children = root.children.filter((child) => hosts.contexts.has(child));
  for (const top of [root, ...separate]) {
    const laid = marks.layOut(`(function ($h, $ferryStamp, $ferryLive, $ferrySuper) { return ${emit(top)}; })`);
    // A script in the global scope, so the only bindings in reach are the ones we declare.
    const script = new Script(laid.code, {
      filename: laid.name ?? `ferry://restored/chunk-${++chunk}.js`,
      lineOffset: laid.lineOffset,
      // `import()` in a restored function resolves from its own file, as it did in the original.
      importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    const made = script.runInThisContext()(
      heritage,
      stamp,
      (id: number) => liveScope(live.imports.get(id)!, readLive),
      superOf,
    );
    collect(top, made);
  }
  if (topVariants.length > 0) {
    const made = (0, eval)(`[${topVariants.map(wrapper).join(',\n')}]\n//# sourceURL=ferry://restored/frames.js`);
    topVariants.forEach((slot, i) => (variantWrappers[slot] = made[i]));
  }

  return {
    variantWrappers,
    readLive,
    assignContexts(resolve) {
      for (const { id, set } of setters) {
        const record = records[id] as Extract<HeapRecord, { kind: K.Context }>;
        const values: Record<string, unknown> = Object.create(null);
        record.names.forEach((name, i) => (values[name] = resolve(record.values[i])));
        set(values);
      }
    },
  };
}
