// Files bundled into dist/ that the core loads at run time: the capture agent, the restore runtime,
// the holder of connections, and the host helper and run supervisor.
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

/** dist/pristine.js (capture/pristine-probe.ts): run by a fresh process of the target's Node. */
export function pristineProbePath(): string {
  return join(distDir(), 'pristine.js');
}

/** dist/import-resolver.mjs (capture/import-resolver.mts): resolves `import` specifiers as Node's ES module loader does. */
export function importResolverPath(): string {
  return join(distDir(), 'import-resolver.mjs');
}

/** dist/holder.js (snapshot/connections/holder.ts): keeps a stopped program's connections until their restore. */
export function holderScriptPath(): string {
  return join(distDir(), 'holder.js');
}

/** dist/inspector-handoff.js (target/inspector-handoff.ts): preloaded into a program started in the editor's terminal. */
export function inspectorHandoffPath(): string {
  return join(distDir(), 'inspector-handoff.js');
}

/** dist/terminal-handover.js (target/terminal-handover.ts): run in the editor's terminal in front of a restore. */
export function terminalHandoverPath(): string {
  return join(distDir(), 'terminal-handover.js');
}

/** dist/inspector-guard.js (target/inspector-guard-main.ts): closes an inspector whose opener died. */
export function inspectorGuardPath(): string {
  return join(distDir(), 'inspector-guard.js');
}

let hostHelper: Buffer | undefined;
/** dist/helper.js (snapshot/remote/host-helper/main.ts), sent to SSH hosts. */
export function hostHelperSource(): Buffer {
  return (hostHelper ??= readFileSync(join(distDir(), 'helper.js')));
}

let supervisor: Buffer | undefined;
/** dist/launcher.sh (snapshot/remote/launcher.sh): the run supervisor on SSH hosts. */
export function runSupervisorScript(): Buffer {
  return (supervisor ??= readFileSync(join(distDir(), 'launcher.sh')));
}
