// Private names (#x) exist only inside their class's body, so restored code that names them must
// be made there: the closures written inside a class, and the resumed copies of its methods'
// frames. This finds, for each, the restored class whose text holds it (functions.ts then emits it
// inside that class, in a static block).
import type { K } from '../heap/tags';
import type { HeapRecord } from '../heap/decoder';
import type { SourceEntry, FunctionSite } from '../format/sections';
import { PRIVATE_NAME, constructorOffset, isClassSource } from './function-source';
import type { ContextNode, VariantPlacement } from './functions';

/**
 * What must be made inside a class's body, by that class's function id: contexts whose functions
 * (or resumed frames) name private members (#x), which no code outside the class may, and such
 * frames' variants, when a class of their (parent) context holds them in its text. Anything else
 * is left where it is (naming private members there fails with the engine's SyntaxError).
 */
export function classHosts(
  root: ContextNode,
  records: HeapRecord[],
  sites: FunctionSite[],
  scripts: Map<string, SourceEntry>,
  variants: VariantPlacement[],
): ClassHosts {
  const siteOf = (id: number) => sites[(records[id] as Extract<HeapRecord, { kind: K.Function }>).site];
  const place = new ScriptPlaces(scripts);
  const privateVariants = (n: ContextNode) =>
    n.variants.filter((i) => PRIVATE_NAME.test(variants[i].code) && variants[i].at);
  const hosts: ClassHosts = { contexts: new Map(), variants: new Map() };
  const classesOf = (n: ContextNode) => n.functions.filter((id) => isClassSource(siteOf(id)?.source));
  const visit = (parent: ContextNode): void => {
    const classes = classesOf(parent);
    for (const i of privateVariants(parent)) {
      const host = classes.find((id) => place.holds(siteOf(id), variants[i].at!));
      if (host !== undefined) {
        hosts.variants.set(i, host);
        continue;
      }
      // A method's frame is placed in the class's outer context; the class itself may live in a
      // class scope below it (which binds the class's name): the variant moves down there.
      for (const child of parent.children) {
        const inner = classesOf(child).find((id) => place.holds(siteOf(id), variants[i].at!));
        if (inner === undefined) continue;
        hosts.variants.set(i, inner);
        parent.variants.splice(parent.variants.indexOf(i), 1);
        child.variants.push(i);
        break;
      }
    }
    for (const child of parent.children) {
      const inner: Array<(cls: FunctionSite) => boolean> = [];
      const gather = (n: ContextNode): void => {
        for (const id of n.functions) {
          const site = siteOf(id);
          if (site && PRIVATE_NAME.test(site.source)) inner.push((cls) => place.encloses(cls, site));
        }
        for (const i of privateVariants(n)) inner.push((cls) => place.holds(cls, variants[i].at!));
        n.children.forEach(gather);
      };
      gather(child);
      const host = inner.length > 0 ? classes.find((id) => inner.every((inside) => inside(siteOf(id)))) : undefined;
      if (host !== undefined) hosts.contexts.set(child, host);
      visit(child);
    }
  };
  visit(root);
  return hosts;
}

export interface ClassHosts {
  contexts: Map<ContextNode, number>;
  /** Variant (placement index) → its class. */
  variants: Map<number, number>;
}

/** Where functions' texts stand in their scripts. */
export class ScriptPlaces {
  private readonly lineStarts = new Map<string, number[]>();
  /** Each class's start, found once: it takes parsing the class's text. */
  private readonly classStarts = new Map<FunctionSite, number | undefined>();
  constructor(private readonly scripts: Map<string, SourceEntry>) {}

  /** Whether the class `outer`'s text holds a place (a paused frame's location). */
  holds(outer: FunctionSite | undefined, point: { scriptId: string; line: number; column: number }): boolean {
    const script = this.scripts.get(point.scriptId)?.source;
    if (!outer || !script || outer.scriptId !== point.scriptId) return false;
    const start = this.classStart(outer, script);
    const at = this.offset(point, script);
    return start !== undefined && at >= start && at < start + outer.source.length;
  }

  /** Whether the class `outer`'s text holds `inner`'s, at the same place of the same script. */
  encloses(outer: FunctionSite | undefined, inner: FunctionSite): boolean {
    const script = this.scripts.get(inner.scriptId)?.source;
    if (!outer || !script || outer.scriptId !== inner.scriptId) return false;
    const start = this.classStart(outer, script);
    // A function is located at its parameters, which its text may not start with (`function (o)`).
    const located = this.offset(inner, script);
    const at = script.lastIndexOf(inner.source, located);
    return (
      start !== undefined &&
      at >= start &&
      at + inner.source.length > located &&
      at + inner.source.length <= start + outer.source.length
    );
  }

  /** Where a function is located (as V8 locates it), from the start of a class's text; undefined if unknown. */
  fromClassStart(cls: FunctionSite, inner: FunctionSite): number | undefined {
    const script = this.scripts.get(inner.scriptId)?.source;
    if (!script || cls.scriptId !== inner.scriptId) return undefined;
    const start = this.classStart(cls, script);
    return start === undefined ? undefined : this.offset(inner, script) - start;
  }

  /** A class's location is its explicit constructor's parameter list, if it has one; else its start. */
  private classStart(site: FunctionSite, script: string): number | undefined {
    if (!this.classStarts.has(site)) {
      const located = this.offset(site, script);
      const start = [located - constructorOffset(site.source), located].find(
        (at) => at >= 0 && script.startsWith(site.source, at),
      );
      this.classStarts.set(site, start);
    }
    return this.classStarts.get(site);
  }

  private offset(site: { scriptId: string; line: number; column: number }, script: string): number {
    let starts = this.lineStarts.get(site.scriptId);
    if (!starts) {
      starts = [0];
      for (let i = script.indexOf('\n'); i >= 0; i = script.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts.set(site.scriptId, starts);
    }
    return (starts[site.line] ?? script.length) + site.column;
  }
}
