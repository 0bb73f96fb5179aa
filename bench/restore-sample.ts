// Restore time: `node dist/restore.js FILE` started → its "resumed" status line written (the
// program runs again). And the floor any restore pays: a bare `node -e 0`, start to exit.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { restoreRuntimePath } from '../snapshot/assets';

const POLL_MS = 1;

export async function restoreSample(checkpoint: string, statusFile: string): Promise<number> {
  rmSync(statusFile, { force: true });
  const started = performance.now();
  const child = spawn(process.execPath, [restoreRuntimePath(), checkpoint, '--status-file', statusFile], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      const status = existsSync(statusFile) ? readFileSync(statusFile, 'utf8') : '';
      if (status.includes('"resumed"')) return performance.now() - started;
      if (status.includes('"failed"') || child.exitCode !== null || child.signalCode !== null)
        throw new Error(
          `restore failed (${child.signalCode ?? `exit ${child.exitCode}`}): ${status.trim() || stderr.trim()}`,
        );
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    child.kill('SIGKILL');
    await exited;
    rmSync(statusFile, { force: true });
  }
}

export function bareNodeStart(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - started));
  });
}
