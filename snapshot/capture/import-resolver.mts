// Run by a Node started with --experimental-import-meta-resolve (capture/import-resolution.ts):
// resolves each `import` specifier from its importer's URL as Node's ES module loader does
// (`exports` and `imports` maps under the `import` condition, self-references, `main`), which no
// API of a process without that flag can do from another module's place. Reads the requests as a
// JSON list of [specifier, parentURL] on stdin; prints the URL of each, or null, as a JSON list.
import { readFileSync } from 'node:fs';

function resolved(specifier: string, parentURL: string): string | null {
  try {
    return import.meta.resolve(specifier, parentURL);
  } catch {
    return null; // a package not installed, an export it does not have: the import would fail as well
  }
}

const requests = JSON.parse(readFileSync(0, 'utf8')) as Array<[string, string]>;
process.stdout.write(JSON.stringify(requests.map(([specifier, parentURL]) => resolved(specifier, parentURL))));
