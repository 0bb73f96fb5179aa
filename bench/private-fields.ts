// What carrying private class fields costs a checkpoint: the same N objects, once as instances
// of a class with two public fields and once with two private ones (each read through one
// in-process inspector call). Prints the checkpoint time of each, three runs apiece.
// usage: node --import tsx bench/private-fields.ts [N=10000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchWithInspector } from '../snapshot/target/launch';
import { openTargetSession } from '../snapshot/capture/target-session';
import { writeCheckpoint } from '../snapshot/checkpoint';
import { linesPrinted } from '../test/helpers/oracle';

const program = join(__dirname, 'workload', 'private-fields.js');
const n = process.argv[2] ?? '10000';

async function checkpointMs(kind: string, dir: string): Promise<number> {
  const launched = await launchWithInspector({ program, args: [n, kind], cwd: dir, stdio: 'pipe', breakOnStart: true });
  try {
    const ready = linesPrinted(launched.child, 1);
    const session = await openTargetSession(launched.webSocketUrl, { startedWithBreak: true });
    await ready;
    const started = performance.now();
    await writeCheckpoint(session, { at: 'idle', output: join(dir, `${kind}.ferry`) });
    return Math.round(performance.now() - started);
  } finally {
    launched.child.kill('SIGKILL');
  }
}

void (async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-private-'));
  try {
    for (const kind of ['public', 'private']) {
      const times = [];
      for (let run = 0; run < 3; run++) times.push(await checkpointMs(kind, dir));
      console.log(`${n} objects, ${kind} fields: checkpoint ${times.join(' / ')} ms`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
})();
