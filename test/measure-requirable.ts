// What carrying the modules a program can still require adds to a checkpoint (README, "The files
// travel with it"), against the alternative weighed for it: every loaded package's whole directory.
// `node --import tsx test/measure-requirable.ts /abs/program.js:LINES ...` (library corpus programs
// get their node_modules link when staged by an absolute path); one JSON line per program.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { launchWithInspector } from '../snapshot/target/launch';
import { openTargetSession } from '../snapshot/capture/target-session';
import { writeCheckpoint } from '../snapshot/checkpoint';
import { readCheckpointFile } from '../snapshot/format/checkpoint';
import type { StoredManifest } from '../snapshot/format/manifest';
import { linesPrinted, stage, stopAtOnce } from './helpers/oracle';

function packageRoot(file: string): string | undefined {
  const at = file.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  let dir = dirname(file);
  while (dir.length > at + 14) {
    if (existsSync(join(dir, 'package.json')) && !dir.slice(at + 14).startsWith('@')) return dir;
    dir = dirname(dir);
  }
  return undefined;
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    const stat = statSync(path);
    total += stat.isDirectory() ? dirBytes(path) : stat.size;
  }
  return total;
}

async function measure(program: string, lines: number) {
  const { dir, script } = stage(program);
  const checkpoint = `${dir}.ferry`;
  const launched = await launchWithInspector({ program: script, cwd: dir, stdio: 'pipe', breakOnStart: true });
  const printed = linesPrinted(launched.child, lines);
  const session = await openTargetSession(launched.webSocketUrl, { startedWithBreak: true });
  await printed;
  try {
    const pausedCallFrames = await stopAtOnce(session.cdp);
    const result = await writeCheckpoint(session, {
      at: 'idle',
      output: checkpoint,
      pausedCallFrames,
      stoppedAt: Date.now(),
    });
    const { manifest } = readCheckpointFile<StoredManifest>(checkpoint);
    const section = manifest.sections.find((s) => s.name === 'requirable')?.length ?? 0;
    const roots = new Set(manifest.modules.map(packageRoot).filter((r): r is string => !!r));
    const whole = [...roots].reduce((sum, root) => sum + dirBytes(root), 0);
    const loadedBytes = manifest.modules.filter((m) => m.startsWith('/')).reduce((s, m) => s + statSync(m).size, 0);
    console.log(
      JSON.stringify({
        program: program.split('/').pop(),
        checkpoint: result.bytes,
        modules: manifest.modules.length,
        requirableSection: section,
        shippedFiles: manifest.requirable?.files,
        shippedBytes: manifest.requirable?.bytes,
        computed: manifest.requirable?.computed,
        requirableMs: manifest.timings.stopped['requirable modules'],
        packages: roots.size,
        wholePackagesBytes: whole,
        wholeLessLoaded: whole - loadedBytes,
      }),
    );
  } finally {
    launched.child.kill('SIGKILL');
    await session.cdp.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(checkpoint, { force: true });
  }
}

void (async () => {
  for (const arg of process.argv.slice(2)) {
    const [program, lines] = arg.split(':');
    await measure(program, Number(lines ?? 1));
  }
})();
