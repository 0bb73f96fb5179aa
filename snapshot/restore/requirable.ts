// Modules the restored program requires after the restore (docs/ARCHITECTURE.md §2): restored ones
// are found in `require.cache` under their original filenames, and the requests its modules' code
// writes resolve as they did at the checkpoint (the `requirable` section, capture/requirable.ts),
// so neither needs the original files. A file the program had not loaded yet is read from disk
// where it is there, else from the checkpoint's copy (a host without the program's node_modules).
import { existsSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import type { RequirableFile } from '../format/sections';
import type { ProgramValue } from '../heap/program-value';

/** Node's CommonJS loader (`require('module')`): the parts Ferry hooks. */
interface ModuleLoader {
  _resolveFilename(request: string, parent: ProgramValue, ...rest: unknown[]): string;
  _extensions: Record<string, (module: ProgramValue, filename: string) => void>;
}

/**
 * Resolution of a module's request: as at the checkpoint, else (a request the checkpoint did not
 * see: computed, or written otherwise than as a literal) to a restored module a relative request
 * names, else as Node resolves it. `mapPath` rewrites the checkpoint's paths for a program run in
 * another directory (paths.ts), as the heap's module ids are.
 */
export function installModuleResolution(
  Module: ModuleLoader,
  restored: Set<string>,
  requirable: RequirableFile[],
  mapPath: (value: string) => string,
): void {
  const atCheckpoint = new Map<string, string>();
  for (const file of requirable)
    for (const [dir, request] of file.requiredAs) atCheckpoint.set(`${mapPath(dir)}\0${request}`, mapPath(file.path));
  const original = Module._resolveFilename;
  Module._resolveFilename = function (request: string, parent: ProgramValue, ...rest: unknown[]) {
    const from = parent?.filename;
    if (typeof from === 'string') {
      const known = atCheckpoint.get(`${dirname(from)}\0${request}`) ?? restoredFile(restored, from, request);
      if (known !== undefined) return known;
    }
    return original.call(this, request, parent, ...rest);
  };
  loadCarriedTexts(
    Module,
    new Map(requirable.flatMap((f) => (f.text === undefined ? [] : [[mapPath(f.path), f.text]]))),
  );
}

/** The restored module a relative or absolute request of a restored module names. */
function restoredFile(restored: Set<string>, from: string, request: string): string | undefined {
  if (!restored.has(from) || !(request.startsWith('.') || request.startsWith('/'))) return undefined;
  const base = resolvePath(dirname(from), request);
  return [base, `${base}.js`, `${base}.json`, `${base}/index.js`].find((candidate) => restored.has(candidate));
}

/** JavaScript and JSON files missing here are compiled or parsed from the checkpoint's copies, as Node's own loaders would read them. */
function loadCarriedTexts(Module: ModuleLoader, texts: Map<string, string>): void {
  if (texts.size === 0) return;
  const fromCheckpoint = (extension: string, load: (module: ProgramValue, text: string, filename: string) => void) => {
    const fromDisk = Module._extensions[extension];
    Module._extensions[extension] = function (module: ProgramValue, filename: string) {
      const text = texts.get(filename);
      if (text === undefined || existsSync(filename)) return fromDisk.call(this, module, filename);
      load(module, stripByteOrderMark(text), filename);
    };
  };
  fromCheckpoint('.js', (module, text, filename) => module._compile(text, filename));
  fromCheckpoint('.json', (module, text, filename) => {
    try {
      module.exports = JSON.parse(text);
    } catch (error) {
      (error as Error).message = `${filename}: ${(error as Error).message}`; // as Node words it
      throw error;
    }
  });
}

function stripByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
