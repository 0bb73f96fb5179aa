// What the program's modules can still require or import (docs/ARCHITECTURE.md §2). The heap holds
// the modules the program loaded; one it loads later (chalk requires `./templates` at its first
// tagged template, prettier imports a parser's plugin when it first meets the language) is read
// from disk then, and a host with a filesystem of its own has no `node_modules`. So the checkpoint
// carries, for each loaded module, where its `require('…')` and `import('…')` string literals
// resolve (as Node resolves them here: extensions, `index.js`, `package.json` `main`, `exports`
// and `imports` under each loader's conditions, `node_modules` lookup), and the text of each file
// they name that is not loaded, followed through that file's own requires and imports (static
// ones too, for an ES module) in turn. A file an `import` names travels even when loaded: Node's
// ES module loader reads it again (restored modules are not in its cache). A computed
// `require(name)` or `import(name)` cannot be followed: it is counted and named in the manifest.
// Linux or not, this reads only the files named.
import { readFileSync, statSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import type { RequirableSummary } from '../format/manifest';
import type { ModuleFormat, RequirableFile } from '../format/sections';
import { resolveImports, type ImportRequest } from './import-resolution';
import { moduleRequests } from './source-text';

/** Past this many bytes of module texts, the rest stays behind (with a warning). */
const MAX_SHIPPED_BYTES = 64 << 20;
/** Computed requests named in the manifest; the rest are counted. */
const SHOWN_COMPUTED = 5;

export interface Requirable {
  files: RequirableFile[];
  summary: RequirableSummary;
  /** Why some were left behind, for the manifest's warnings. */
  warnings: string[];
}

/**
 * `loaded` are the program's module files (`require.cache`'s keys, and its ES modules' paths);
 * `carried` are files the checkpoint carries as working files (put on disk at the restore: no
 * text needed here).
 */
export function requirableModules(loaded: string[], carried: Set<string>): Requirable {
  const graph = new ModuleGraph(new Set(loaded), carried);
  graph.walk(loaded.filter(isScript));
  return graph.result();
}

/** A module file whose code can call `require` or `import` (not JSON, not a native addon, not a built-in's id). */
function isScript(file: string): boolean {
  return path.isAbsolute(file) && !file.endsWith('.json') && !file.endsWith('.node');
}

class ModuleGraph {
  private readonly byPath = new Map<string, RequirableFile>();
  /** `directory\0request` pairs already resolved: a request means the same from every module of a directory. */
  private readonly asked = new Set<string>();
  private readonly askedImports = new Set<string>();
  private readonly queue: string[] = [];
  /** Loaded ES modules an `import` names: the ES module loader loads them again at the restore, and links their static imports. */
  private readonly relinked: string[] = [];
  /** Import requests met by the scans, resolved in one batch (a child process) once the queue is scanned. */
  private pendingImports: ImportRequest[] = [];
  private readonly computedAt: string[] = [];
  private computed = 0;
  private bytes = 0;
  private readonly leftBehind: string[] = [];
  private readonly formats = new PackageTypes();

  constructor(
    private readonly loaded: Set<string>,
    private readonly carried: Set<string>,
  ) {}

  walk(scripts: string[]): void {
    this.queue.push(...scripts);
    for (let k = 0, r = 0; k < this.queue.length || r < this.relinked.length;) {
      for (; k < this.queue.length; k++) this.scan(this.queue[k]);
      for (; r < this.relinked.length; r++) this.scanLinks(this.relinked[r]);
      this.resolvePendingImports();
    }
  }

  result(): Requirable {
    // A file neither loaded nor carried (a native addon, one past the limit) resolves at the restore as Node resolves it there.
    const files = [...this.byPath.values()].filter(
      (f) => f.text !== undefined || this.loaded.has(f.path) || this.carried.has(f.path),
    );
    const withText = (loaded: boolean) =>
      files.filter((f) => f.text !== undefined && this.loaded.has(f.path) === loaded);
    const [notLoaded, loaded] = [withText(false), withText(true)];
    const summary: RequirableSummary = {
      files: notLoaded.length,
      bytes: byteLength(notLoaded),
      ...(loaded.length > 0 ? { loadedFiles: loaded.length, loadedBytes: byteLength(loaded) } : {}),
      computed: this.computed,
      computedAt: this.computedAt,
    };
    return { files, summary, warnings: this.warnings() };
  }

  private warnings(): string[] {
    if (this.leftBehind.length === 0) return [];
    const shown = this.leftBehind.slice(0, 3).join(', ') + (this.leftBehind.length > 3 ? ', …' : '');
    return [
      `not carried: ${this.leftBehind.length} module file(s) the program's modules can require or import (${shown}): past ${MAX_SHIPPED_BYTES >> 20} MiB, restored elsewhere they must be there already`,
    ];
  }

  private scan(file: string): void {
    const text = readText(file);
    if (text === undefined) return;
    const { requires, imports, statics } = moduleRequests(text);
    this.countComputed(file, [...requires.computed, ...imports.computed]);
    const dir = path.dirname(file);
    const resolve = createRequire(file).resolve;
    for (const request of requires.requests) {
      const key = `${dir}\0${request}`;
      if (isBuiltin(request) || this.asked.has(key)) continue;
      this.asked.add(key);
      const target = resolved(resolve, request);
      if (target !== undefined) this.entry(target).requiredAs.push([dir, request]);
    }
    // A loaded ES module's static imports are linked already, unless an `import` loads it again (relinked).
    const linksToCome = !this.loaded.has(file) && this.formats.of(file) === 'module' ? statics : [];
    this.askImports(file, [...imports.requests, ...linksToCome]);
  }

  /** A loaded ES module the restore loads again: its static imports, which its other requests were scanned without. */
  private scanLinks(file: string): void {
    this.askImports(file, moduleRequests(readText(file) ?? '').statics);
  }

  private askImports(importer: string, specifiers: string[]): void {
    const dir = path.dirname(importer);
    for (const specifier of specifiers) {
      const key = `${dir}\0${specifier}`;
      if (isBuiltin(specifier) || this.askedImports.has(key)) continue;
      this.askedImports.add(key);
      this.pendingImports.push({ specifier, importer });
    }
  }

  private countComputed(file: string, lines: number[]): void {
    this.computed += lines.length;
    for (const line of lines.sort((a, b) => a - b).slice(0, SHOWN_COMPUTED - this.computedAt.length))
      this.computedAt.push(`${file}:${line}`);
  }

  private resolvePendingImports(): void {
    const requests = this.pendingImports;
    this.pendingImports = [];
    resolveImports(requests).forEach((target, k) => {
      const format = target === undefined || !isFile(target) ? undefined : this.formats.of(target);
      if (format === undefined) return; // not a file, or one the ES module loader does not read as text (.node, .wasm)
      const { specifier, importer } = requests[k];
      const entry = this.entry(target!);
      (entry.importedAs ??= []).push([path.dirname(importer), specifier]);
      if (entry.format) return;
      entry.format = format;
      // The ES module loader reads a loaded file again: its text travels too, and an ES module's links are followed.
      if (!this.loaded.has(entry.path)) return;
      this.carryText(entry);
      if (format === 'module') this.relinked.push(entry.path);
    });
  }

  private entry(target: string): RequirableFile {
    let entry = this.byPath.get(target);
    if (!entry) {
      entry = { path: target, requiredAs: [] };
      this.byPath.set(target, entry);
      if (!this.loaded.has(target)) this.ship(entry);
    }
    return entry;
  }

  /** A file not loaded: its text travels (unless it travels as a working file), and its own requests are followed. */
  private ship(entry: RequirableFile): void {
    if (entry.path.endsWith('.node')) return; // a native addon is built for its machine: never shipped
    if (!this.carryText(entry)) return;
    if (isScript(entry.path)) this.queue.push(entry.path);
  }

  /** Puts the file's text in its entry (not a working file's: that is put on disk); false when it cannot be read. */
  private carryText(entry: RequirableFile): boolean {
    if (this.carried.has(entry.path)) return true;
    const size = sizeOf(entry.path);
    if (size === undefined) return false;
    if (this.bytes + size > MAX_SHIPPED_BYTES) {
      this.leftBehind.push(entry.path);
      return false;
    }
    entry.text = readText(entry.path);
    this.bytes += size;
    return true;
  }
}

/**
 * How Node's ES module loader reads a file: by its extension, else by the `type` of the nearest
 * `package.json` above it (not above the `node_modules` directory it lies in), read once per directory.
 */
class PackageTypes {
  private readonly byDirectory = new Map<string, string | undefined>();

  of(file: string): ModuleFormat | undefined {
    const extension = path.extname(file);
    if (extension === '.mjs') return 'module';
    if (extension === '.cjs') return 'commonjs';
    if (extension === '.json') return 'json';
    if (extension !== '.js' && extension !== '') return undefined;
    return this.typeAbove(path.dirname(file)) === 'module' ? 'module' : 'commonjs';
  }

  private typeAbove(dir: string): string | undefined {
    if (this.byDirectory.has(dir)) return this.byDirectory.get(dir);
    const text = readText(path.join(dir, 'package.json'));
    const parent = path.dirname(dir);
    const type =
      text !== undefined
        ? packageType(text)
        : parent === dir || path.basename(dir) === 'node_modules'
          ? undefined
          : this.typeAbove(parent);
    this.byDirectory.set(dir, type);
    return type;
  }
}

function packageType(text: string): string | undefined {
  try {
    const type = (JSON.parse(text) as { type?: unknown }).type;
    return typeof type === 'string' ? type : undefined;
  } catch {
    return undefined; // Node refuses to load below a package.json it cannot parse
  }
}

/** Where Node resolves `request` from the module `resolve` belongs to; undefined when it does not (an optional dependency absent, a request in a comment). */
function resolved(resolve: NodeJS.RequireResolve, request: string): string | undefined {
  try {
    const target = resolve(request);
    return isBuiltin(target) ? undefined : target;
  } catch {
    return undefined;
  }
}

function byteLength(files: RequirableFile[]): number {
  return files.reduce((sum, f) => sum + Buffer.byteLength(f.text ?? ''), 0);
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function sizeOf(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}
