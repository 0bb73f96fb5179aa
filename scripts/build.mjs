// Bundles every entry point into dist/. Run by `npm run build`, `npm test` and on `npm install`.
import { build } from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { Script } from 'node:vm';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'warning' };
const entries = [
  // VS Code loads the extension; `vscode` is provided by the host.
  { entryPoints: ['extension/extension.ts'], outfile: 'dist/extension.js', format: 'cjs', external: ['vscode'] },
  // Standalone DAP server over stdio (contributes.debuggers[].program).
  { entryPoints: ['adapter/main.ts'], outfile: 'dist/adapter.js', format: 'cjs' },
  // `ferry`: a small entry that runs the bundle with its code cache (snapshot/cli-start.ts).
  {
    entryPoints: ['snapshot/cli-start.ts'],
    outfile: 'dist/cli.js',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
  },
  { entryPoints: ['snapshot/cli.ts'], outfile: 'dist/cli-main.js', format: 'cjs' },
  // The restore runtime: one dependency-free file shipped to the host that restores.
  { entryPoints: ['snapshot/restore/main.ts'], outfile: 'dist/restore.js', format: 'cjs', sourcemap: false },
  // The holder of a stopped program's connections, started by the program itself: one file.
  { entryPoints: ['snapshot/connections/holder.ts'], outfile: 'dist/holder.js', format: 'cjs', sourcemap: false },
  // Preloaded into a program the editor starts in its terminal: hands its inspector's URL to the adapter.
  {
    entryPoints: ['snapshot/target/inspector-handoff.ts'],
    outfile: 'dist/inspector-handoff.js',
    format: 'cjs',
    sourcemap: false,
  },
  // Run in the editor's terminal in front of a restore: takes its held files and connections.
  {
    entryPoints: ['snapshot/target/terminal-handover.ts'],
    outfile: 'dist/terminal-handover.js',
    format: 'cjs',
    sourcemap: false,
  },
  // Started before a SIGUSR1: closes the inspector if the command that sent it dies first.
  {
    entryPoints: ['snapshot/target/inspector-guard-main.ts'],
    outfile: 'dist/inspector-guard.js',
    format: 'cjs',
    sourcemap: false,
  },
  // Run by a fresh process of the target's Node: what a pristine runtime has (capture/pristine.ts).
  {
    entryPoints: ['snapshot/capture/pristine-probe.ts'],
    outfile: 'dist/pristine.js',
    format: 'cjs',
    sourcemap: false,
  },
  // Run by a child Node at capture: resolves the program's `import` specifiers (capture/import-resolution.ts).
  {
    entryPoints: ['snapshot/capture/import-resolver.mts'],
    outfile: 'dist/import-resolver.mjs',
    format: 'esm',
    sourcemap: false,
  },
  // Ferry's helper on SSH hosts (follow, ps, stop, gc), shipped like the restore runtime.
  { entryPoints: ['snapshot/remote/host-helper/main.ts'], outfile: 'dist/helper.js', format: 'cjs', sourcemap: false },
  // Agent code injected into targets through Runtime.evaluate: an expression, no module system.
  {
    entryPoints: ['snapshot/capture/agent/index.ts'],
    outfile: 'dist/agent.js',
    format: 'iife',
    globalName: '__ferryAgent',
    sourcemap: false,
    minifySyntax: true,
  },
];
mkdirSync('dist', { recursive: true });
await Promise.all(entries.filter((e) => existsSync(e.entryPoints[0])).map((e) => build({ ...common, ...e })));
if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
writeCodeCache('dist/cli-main.js');
// The run supervisor is a shell script: copied as it is.
copyFileSync('snapshot/remote/launcher.sh', 'dist/launcher.sh');

/** V8's code cache of a CommonJS bundle, compiled as snapshot/cli-start.ts compiles it, beside it. */
function writeCodeCache(bundle) {
  if (!existsSync(bundle)) return;
  const script = new Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle });
  writeFileSync(`${bundle}.cache`, script.createCachedData());
}
