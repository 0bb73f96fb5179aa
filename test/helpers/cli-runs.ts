// Processes of a CLI test: a program under `ferry run` or a restore, what it prints, and its end.
import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The pid in the first line the program prints after this call. */
export function nextPid(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const check = (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = / pid (\d+)\n/.exec(seen);
      if (!match) return;
      child.stdout!.off('data', check);
      resolve(Number(match[1]));
    };
    child.stdout!.on('data', check);
    child.once('exit', () => reject(new Error(`ended before printing a tick:\n${seen}`)));
  });
}

/** The inspector URL `ferry run` announces on its stderr. */
export function inspectorUrl(run: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    run.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = /inspector at (ws:\/\/\S+)/.exec(seen);
      if (match) resolve(match[1]);
    });
    run.once('exit', () => reject(new Error(`ferry run ended:\n${seen}`)));
  });
}

export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** A test in its own directory; the processes it hands to `started` are ended with it, whatever happens. */
export function withDir(
  body: (dir: string, started: <P extends ChildProcess | number>(process: P) => P) => Promise<void> | void,
): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-cli-test-'));
    const processes: Array<ChildProcess | number> = [];
    try {
      await body(dir, (started) => (processes.push(started), started));
    } finally {
      for (const started of processes) end(started);
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

function end(started: ChildProcess | number): void {
  try {
    if (typeof started === 'number') process.kill(started, 'SIGKILL');
    else started.kill('SIGKILL');
  } catch {
    // Already gone.
  }
}
