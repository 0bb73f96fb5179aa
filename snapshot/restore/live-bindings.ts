// ES module live bindings. A module's top-level bindings are restored as a closure context, and an
// importer's imported names as variables of its own: copies. For a binding its module reassigns,
// the importer must go on seeing the exporter's variable, so such names are not declared in the
// importer's context but read through a `with` object whose getters ask the exporter's context
// (functions.ts), and a namespace object's property for it becomes such a getter (rebuild.ts).
// The capture refused the links this cannot follow (esModuleRefusals).
import { K } from '../heap/tags';
import { moduleLinks, resolveSpecifier, type ModuleLinks } from '../resume/module-links';
import { Ref, type HeapRecord } from '../heap/decoder';
import type { SourceEntry, FunctionSite } from '../format/sections';

/** A binding of a module context: the context record's id and the variable's name. */
export interface BindingRef {
  context: number;
  name: string;
}

export interface LivePlan {
  /** Importing module context → its names read live from other modules. */
  imports: Map<number, Map<string, BindingRef>>;
  /** Exporting module context → its variables read live by others. */
  exported: Map<number, Set<string>>;
  /** Namespace object id → its properties read live. */
  namespaces: Map<number, Map<string, BindingRef>>;
  /**
   * The restored modules by URL, when the program may import them again (module-stand-ins.ts):
   * then every export of theirs has a reader.
   */
  modules: Map<string, LoadedModule>;
}

/**
 * An ES module the program had loaded: its links, read from its text, and its context's record and
 * bindings when its context was restored (none for a module of data: no function closed over it).
 */
export interface LoadedModule {
  context?: number;
  links: ModuleLinks;
  names: string[];
  source: string;
  /**
   * Exports missing from its context's names, by exported name: an importer's copy, where one
   * imports it. V8 lists no anonymous `export default` value among a module's bindings.
   */
  copies: Map<string, BindingRef>;
}

/** A loaded module whose context was restored. */
export type RestoredModule = LoadedModule & { context: number };

/** `loadedTexts`: the texts of the ES modules the program had loaded (the requirable section's), by URL. */
export function planLiveBindings(
  records: HeapRecord[],
  sites: FunctionSite[],
  sources: SourceEntry[],
  loadedTexts: Map<string, string> = new Map(),
): LivePlan {
  const plan: LivePlan = { imports: new Map(), exported: new Map(), namespaces: new Map(), modules: new Map() };
  const byUrl = restoredModules(records, sites, sources);
  if (byUrl.size === 0) return plan;
  const readable = (exporter: RestoredModule, local: string) => {
    let set = plan.exported.get(exporter.context);
    if (!set) plan.exported.set(exporter.context, (set = new Set()));
    set.add(local);
  };
  const live = (exporter: RestoredModule, exportName: string): BindingRef | undefined => {
    const local = exporter.links.exports.get(exportName);
    if (local === undefined || !exporter.links.reassigned.has(local) || !exporter.names.includes(local))
      return undefined;
    readable(exporter, local);
    return { context: exporter.context, name: local };
  };
  if (mayImportAgain(sources)) {
    const dataModules = modulesOfData(loadedTexts, byUrl);
    const exporters = new Map<string, LoadedModule>([...byUrl, ...dataModules]);
    for (const module of byUrl.values())
      for (const local of module.links.exports.values()) if (module.names.includes(local)) readable(module, local);
    for (const [url, importer] of byUrl)
      for (const copy of importedCopies(url, importer, exporters)) readable(importer, copy.name);
    plan.modules = new Map<string, LoadedModule>([
      ...byUrl,
      ...[...dataModules].filter(([, module]) => copiedWhole(module)),
    ]);
  }
  for (const [url, importer] of byUrl) {
    const record = records[importer.context] as Extract<HeapRecord, { kind: K.Context }>;
    for (const { local, specifier, imported } of importer.links.imports) {
      const resolved = resolveSpecifier(specifier, url);
      const exporter = resolved === undefined ? undefined : byUrl.get(resolved);
      const slot = record.names.indexOf(local);
      if (!exporter || slot < 0) continue;
      if (imported === '*') {
        const namespace = record.values[slot];
        if (!(namespace instanceof Ref)) continue;
        const names = new Map<string, BindingRef>();
        for (const exportName of exporter.links.exports.keys()) {
          const binding = live(exporter, exportName);
          if (binding) names.set(exportName, binding);
        }
        if (names.size > 0) plan.namespaces.set(namespace.id, names);
      } else {
        const binding = live(exporter, imported);
        if (!binding) continue;
        let names = plan.imports.get(importer.context);
        if (!names) plan.imports.set(importer.context, (names = new Map()));
        names.set(local, binding);
      }
    }
  }
  return plan;
}

/**
 * The bindings of `importer` that copy an export its exporter's context does not list, entered in
 * the exporter's copies. An exporter that cannot reassign the export leaves the copy current.
 */
function importedCopies(url: string, importer: RestoredModule, byUrl: Map<string, LoadedModule>): BindingRef[] {
  const copies: BindingRef[] = [];
  for (const { local, specifier, imported } of importer.links.imports) {
    const resolved = resolveSpecifier(specifier, url);
    const exporter = resolved === undefined ? undefined : byUrl.get(resolved);
    const exportedLocal = exporter?.links.exports.get(imported);
    if (!exporter || exportedLocal === undefined || exporter.names.includes(exportedLocal)) continue;
    if (!importer.names.includes(local) || exporter.copies.has(imported)) continue;
    const copy = { context: importer.context, name: local };
    exporter.copies.set(imported, copy);
    copies.push(copy);
  }
  return copies;
}

/**
 * The loaded ES modules whose context was not restored, read from their texts. A stand-in is made
 * for one only when importers' copies hold every export (copiedWhole); else its file is evaluated
 * again, as nothing else tells its bindings.
 */
function modulesOfData(
  loadedTexts: Map<string, string>,
  restored: Map<string, RestoredModule>,
): Map<string, LoadedModule> {
  const out = new Map<string, LoadedModule>();
  for (const [url, text] of loadedTexts) {
    const links = restored.has(url) ? undefined : moduleLinks(text);
    if (links) out.set(url, { links, names: [], source: text, copies: new Map() });
  }
  return out;
}

function copiedWhole(module: LoadedModule): boolean {
  return module.copies.size > 0 && [...module.links.exports.keys()].every((name) => module.copies.has(name));
}

/** The ES modules whose own context is among the records, by URL. */
function restoredModules(
  records: HeapRecord[],
  sites: FunctionSite[],
  sources: SourceEntry[],
): Map<string, RestoredModule> {
  const byUrl = new Map<string, RestoredModule>();
  const modules = sources.filter((s) => s.module && s.url);
  if (modules.length === 0) return byUrl;
  const contexts = moduleContexts(records, sites);
  for (const source of modules) {
    const context = contexts.get(source.scriptId);
    const links = context === undefined ? undefined : moduleLinks(source.source);
    if (context === undefined || !links) continue;
    const { names } = records[context] as Extract<HeapRecord, { kind: K.Context }>;
    byUrl.set(source.url, { context, links, names, source: source.source, copies: new Map() });
  }
  return byUrl;
}

/**
 * Whether restored code may load a module after the restore: only `import()` starts that (a
 * module loaded then may import a restored one statically). A mention in a comment counts too:
 * that costs the loader hooks, never a module run twice.
 */
export function mayImportAgain(sources: SourceEntry[]): boolean {
  return sources.some((source) => /\bimport\s*\(/.test(source.source));
}

/** Each module's own context (its top-level bindings), found through the functions closed over it. */
function moduleContexts(records: HeapRecord[], sites: FunctionSite[]): Map<string, number> {
  const out = new Map<string, number>();
  records.forEach((record) => {
    if (record.kind !== K.Function) return;
    const scriptId = sites[record.site]?.scriptId;
    if (scriptId === undefined || out.has(scriptId)) return;
    for (let slot = record.context; slot instanceof Ref;) {
      const context = records[slot.id] as Extract<HeapRecord, { kind: K.Context }>;
      if (context.description === 'Module') {
        out.set(scriptId, slot.id);
        return;
      }
      slot = context.parent;
    }
  });
  return out;
}

/**
 * What an importer's `with` object reads: a getter per live name, asking the exporter's context
 * when read (through `read`: the exporter's factory may be made after the importer's).
 */
export function liveScope(names: Map<string, BindingRef>, read: (binding: BindingRef) => unknown): object {
  const scope = Object.create(null);
  for (const [local, binding] of names)
    Object.defineProperty(scope, local, { get: () => read(binding), enumerable: true });
  return scope;
}
