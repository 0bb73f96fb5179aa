// Files bundled into dist/ that the core loads at run time: the capture agent and the restore runtime.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** dist/ of this package, whether we run bundled (dist/cli.js) or from source (tests, through tsx). */
export function distDir(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'agent.js')) && existsSync(join(dir, 'restore.js'))) return dir;
    if (existsSync(join(dir, 'dist', 'agent.js'))) return join(dir, 'dist');
    if (dirname(dir) === dir) throw new Error('Ferry is not built: run `npm run build` (dist/agent.js is missing)');
  }
}

let agent: string | undefined;
export function agentSource(): string {
  return (agent ??= readFileSync(join(distDir(), 'agent.js'), 'utf8'));
}

export function restoreRuntimePath(): string {
  return join(distDir(), 'restore.js');
}
