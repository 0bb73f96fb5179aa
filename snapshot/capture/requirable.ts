// What the program's CommonJS modules can still require (docs/ARCHITECTURE.md §2). The heap holds
// the modules the program loaded; one it loads later (chalk requires `./templates` at its first
// tagged template) is read from disk then, and a host with a filesystem of its own has no
// `node_modules`. So the checkpoint carries, for each loaded module, where its `require('…')`
// string literals resolve (as Node resolves them here: extensions, `index.js`, `package.json`
// `main` and `exports`, `node_modules` lookup), and the text of each file they name that is not
// loaded, followed through that file's own requires in turn. A computed `require(name)` cannot be
// followed: it is counted and named in the manifest. Linux or not, this reads only the files named.
import { readFileSync, statSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import type { RequirableSummary } from '../format/manifest';
import type { RequirableFile } from '../format/sections';
import { requireCalls } from './source-text';

/** Past this many bytes of modules not loaded, the rest stays behind (with a warning). */
const MAX_SHIPPED_BYTES = 64 << 20;
/** Computed requires named in the manifest; the rest are counted. */
const SHOWN_COMPUTED = 5;

export interface Requirable {
  files: RequirableFile[];
  summary: RequirableSummary;
  /** Why some were left behind, for the manifest's warnings. */
  warnings: string[];
}

/**
 * `loaded` are the program's module ids (`require.cache`'s keys); `carried` are files the
 * checkpoint carries as working files (put on disk at the restore: no text needed here).
 */
export function requirableModules(loaded: string[], carried: Set<string>): Requirable {
  const graph = new RequireGraph(new Set(loaded), carried);
  graph.walk(loaded.filter(isScript));
  return graph.result();
}

/** A module file whose code can call `require` (not JSON, not a native addon, not a built-in's id). */
function isScript(file: string): boolean {
  return path.isAbsolute(file) && !file.endsWith('.json') && !file.endsWith('.node');
}

class RequireGraph {
  private readonly byPath = new Map<string, RequirableFile>();
  /** `directory\0request` pairs already resolved: a request means the same from every module of a directory. */
  private readonly asked = new Set<string>();
  private readonly queue: string[] = [];
  private readonly computedAt: string[] = [];
  private computed = 0;
  private bytes = 0;
  private readonly leftBehind: string[] = [];

  constructor(
    private readonly loaded: Set<string>,
    private readonly carried: Set<string>,
  ) {}

  walk(scripts: string[]): void {
    this.queue.push(...scripts);
    for (let k = 0; k < this.queue.length; k++) this.scan(this.queue[k]);
  }

  result(): Requirable {
    // A file neither loaded nor carried (a native addon, one past the limit) resolves at the restore as Node resolves it there.
    const files = [...this.byPath.values()].filter(
      (f) => f.text !== undefined || this.loaded.has(f.path) || this.carried.has(f.path),
    );
    const summary = {
      files: files.filter((f) => f.text !== undefined).length,
      bytes: this.bytes,
      computed: this.computed,
      computedAt: this.computedAt,
    };
    const warnings =
      this.leftBehind.length > 0
        ? [
            `not carried: ${this.leftBehind.length} module file(s) the program's modules can require but had not loaded (${this.leftBehind.slice(0, 3).join(', ')}${this.leftBehind.length > 3 ? ', …' : ''}): past ${MAX_SHIPPED_BYTES >> 20} MiB, restored elsewhere they must be there already`,
          ]
        : [];
    return { files, summary, warnings };
  }

  private scan(file: string): void {
    const text = readText(file);
    if (text === undefined) return;
    const { requests, computed } = requireCalls(text);
    this.computed += computed.length;
    for (const line of computed.slice(0, SHOWN_COMPUTED - this.computedAt.length))
      this.computedAt.push(`${file}:${line}`);
    const dir = path.dirname(file);
    const resolve = createRequire(file).resolve;
    for (const request of requests) {
      const key = `${dir}\0${request}`;
      if (isBuiltin(request) || this.asked.has(key)) continue;
      this.asked.add(key);
      const target = resolved(resolve, request);
      if (target !== undefined) this.entry(target).requiredAs.push([dir, request]);
    }
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

  /** A file not loaded: its text travels (unless it travels as a working file), and its own requires are followed. */
  private ship(entry: RequirableFile): void {
    if (entry.path.endsWith('.node')) return; // a native addon is built for its machine: never shipped
    if (!this.carried.has(entry.path)) {
      const size = sizeOf(entry.path);
      if (size === undefined) return;
      if (this.bytes + size > MAX_SHIPPED_BYTES) {
        this.leftBehind.push(entry.path);
        return;
      }
      entry.text = readText(entry.path);
      this.bytes += size;
    }
    if (isScript(entry.path)) this.queue.push(entry.path);
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

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function sizeOf(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}
