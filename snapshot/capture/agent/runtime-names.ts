// Node's own functions where the built-in walk no longer finds them: graceful-fs keeps the
// `process.cwd` and `fs.close` it replaced with its own, and the getters of fs it copied before
// Node turned them into values. A fresh process of the same Node binary has each at a path
// (capture/pristine-probe.ts prints every named function's functionPrint by path): a function of
// the runtime whose print exactly one function of that walk has, at a path the target no longer
// names, is named by it. A print many functions share (closures a factory made from one text under
// one name) names none: those stay refused.
import { functionPrint, rootOf } from '../../heap/builtins';
import type { PristineNames } from './kept';
import type { Registry } from './registry';

const walkedRoots = new WeakMap<Record<string, string>, Set<string>>();

/**
 * Whether `fn`, found at `path`, may not be the function a fresh process has there. A path under a
 * root the fresh walk did not have (a module loaded since it was asked, the agent's own inspector
 * and v8) is taken for the runtime's, as every path was before the fresh prints: asking the
 * inspector where each of their functions comes from would cost more than the capture.
 */
export function differsFromFresh(
  fresh: Pick<PristineNames, 'functions' | 'aliases'>,
  fn: object,
  path: string,
): boolean {
  let roots = walkedRoots.get(fresh.functions);
  if (!roots) walkedRoots.set(fresh.functions, (roots = new Set(Object.keys(fresh.functions).map(rootOf))));
  if (!roots.has(rootOf(path))) return false;
  const print = fresh.functions[path] ?? fresh.aliases[path];
  return print === undefined || print !== functionPrint(fn);
}

export class DisplacedFunctions {
  /** The path of each print the fresh walk has once, at a path the target does not name. */
  private byPrint: Map<string, string> | undefined;
  private readonly lengths = new Set<number>();

  constructor(
    private readonly fresh: Record<string, string>,
    private readonly registry: Registry,
    private readonly isRuntimeFunction: (fn: object) => boolean,
  ) {}

  /** The fresh path of a function no built-in path names here, when it is the runtime's one function of its print. */
  pathOf(fn: object, source: string): string | undefined {
    const byPrint = (this.byPrint ??= this.index());
    if (!this.lengths.has(source.length)) return undefined; // most functions: no hash to make
    const path = byPrint.get(functionPrint(fn, source));
    return path !== undefined && this.isRuntimeFunction(fn) ? path : undefined;
  }

  /**
   * The fresh path of a native function no built-in path names here, when it is the one function of
   * its print there. Only the runtime makes a function that prints `[native code]` under a name
   * (a bound function or a proxy prints none), so no location need say whose it is.
   */
  pathOfNative(fn: object): string | undefined {
    const byPrint = (this.byPrint ??= this.index());
    return byPrint.get(functionPrint(fn));
  }

  private index(): Map<string, string> {
    const named = new Set(this.registry.values());
    const seen = new Map<string, string | null>();
    for (const [path, print] of Object.entries(this.fresh)) seen.set(print, seen.has(print) ? null : path);
    const byPrint = new Map<string, string>();
    for (const [print, path] of seen) {
      if (path === null || named.has(path)) continue;
      byPrint.set(print, path);
      this.lengths.add(Number(print.slice(0, print.indexOf(':'))));
    }
    return byPrint;
  }
}
