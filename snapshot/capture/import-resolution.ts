// Where the program's `import` specifiers resolve, as Node's ES module loader resolves them here:
// asked of a child Node with the flag that lets import.meta.resolve take an importer's URL
// (dist/import-resolver.mjs, capture/import-resolver.mts). One child per batch of requests.
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { importResolverPath } from '../assets';

/** An `import` request: its specifier, and the file that makes it. */
export interface ImportRequest {
  specifier: string;
  importer: string;
}

/** Each request's file, or undefined where it names no file (a built-in, a package not installed, a data: URL). */
export function resolveImports(requests: ImportRequest[]): Array<string | undefined> {
  if (requests.length === 0) return [];
  const child = spawnSync(process.execPath, ['--experimental-import-meta-resolve', importResolverPath()], {
    input: JSON.stringify(requests.map((r) => [r.specifier, pathToFileURL(r.importer).href])),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (child.status !== 0) throw new Error(`cannot resolve the program's imports: ${child.stderr || child.error}`);
  return (JSON.parse(child.stdout) as Array<string | null>).map((url) =>
    url?.startsWith('file:') ? fileURLToPath(url) : undefined,
  );
}
