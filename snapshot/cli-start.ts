// The `ferry` command's entry: runs the CLI's bundle (dist/cli-main.js) with V8's code cache of it,
// which the build makes (scripts/build.mjs). Compiling the 1.8 MB bundle was about 15 ms of a
// command's 100 ms start. A cache that does not fit (another Node, a bundle built since) is
// rejected by V8, and the bundle compiled as it would be without one.
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';

const bundle = join(__dirname, 'cli-main.js');

function codeCache(): Buffer | undefined {
  try {
    return readFileSync(`${bundle}.cache`);
  } catch {
    return undefined; // not built with one
  }
}

const script = new Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData: codeCache() });
script.runInThisContext()(exports, require, module, bundle, __dirname);
