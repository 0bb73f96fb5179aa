// `inspector`, `stop` and `gc`: what Ferry asks of runs on the host besides following them.
import { lstatSync, readdirSync, rmSync, existsSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { Collected, StoppedRun } from '../runs';
import { describeRun, HelperRefusal, isAlive, readRunFile, sleep } from './run-dir';

const POLL_MS = 40;
const INSPECTOR_WAIT_MS = 30_000;
const TERM_GRACE_MS = 5_000;
const SUPERVISOR_WAIT_MS = 2_000;

/** The run's inspector URL, as it printed it on its stderr. */
export async function waitForInspector(dir: string): Promise<string> {
  for (let waited = 0; waited < INSPECTOR_WAIT_MS; waited += POLL_MS) {
    const match = /Debugger listening on (ws:\/\/\S+)/.exec(readRunFile(dir, 'err'));
    if (match) return match[1];
    if (readRunFile(dir, 'exit') !== '') throw new HelperRefusal('the run exited before its inspector opened');
    await sleep(POLL_MS);
  }
  throw new HelperRefusal('the run did not open its inspector within 30 s');
}

async function waitWhileAlive(pid: () => number, ms: number): Promise<void> {
  for (let waited = 0; waited < ms && isAlive(pid()); waited += POLL_MS) await sleep(POLL_MS);
}

/** Ends the run's process group (TERM, then KILL after a grace period), optionally removing its directory. */
export async function stopRun(dir: string, remove: boolean): Promise<StoppedRun> {
  const pid = Number(readRunFile(dir, 'pid'));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      try {
        process.kill(pid, name);
      } catch {
        /* already gone */
      }
    }
  };
  const wasRunning = isAlive(pid);
  if (wasRunning) {
    signal('SIGTERM');
    await waitWhileAlive(() => pid, TERM_GRACE_MS);
    if (isAlive(pid)) signal('SIGKILL');
    // Until the supervisor is gone, not just until it wrote the exit code: it still writes in the directory after that.
    await waitWhileAlive(() => Number(readRunFile(dir, 'launcher.pid')), SUPERVISOR_WAIT_MS);
  }
  const keeper = Number(readRunFile(dir, 'stdin.keeper'));
  if (isAlive(keeper))
    try {
      process.kill(keeper);
    } catch {
      /* ended meanwhile */
    }
  const state = describeRun(dir);
  if (remove) rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: POLL_MS });
  return { ...state, wasRunning, removed: remove };
}

function statOrNull(file: string): Stats | null {
  try {
    return lstatSync(file);
  } catch {
    return null;
  }
}

const listDir = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

function removeEndedRuns(root: string, cutoff: number): string[] {
  const removed: string[] = [];
  for (const name of listDir(join(root, 'runs'))) {
    const dir = join(root, 'runs', name);
    const run = describeRun(dir);
    const ended = statOrNull(join(dir, 'exit')) ?? statOrNull(join(dir, 'meta.json'));
    if (['exited', 'failed', 'lost'].includes(run.state) && ended && ended.mtimeMs < cutoff) {
      rmSync(dir, { recursive: true, force: true });
      removed.push(name);
    }
  }
  return removed;
}

/** Blobs no run or lib/ links any more (one link left) since `cutoff`, and transfers that were cut off. */
function removeUnusedBlobs(root: string, cutoff: number): { blobs: number; bytes: number } {
  const result = { blobs: 0, bytes: 0 };
  for (const name of listDir(join(root, 'blobs'))) {
    const file = join(root, 'blobs', name);
    const info = statOrNull(file);
    if (!info) continue;
    // blobs/.in-PID: the unpacking of a transfer; its shell is gone when the transfer was cut off.
    const transfer = /^\.in-(\d+)$/.exec(name);
    if (transfer && !isAlive(Number(transfer[1]))) rmSync(file, { recursive: true, force: true });
    // ctime moves when a run links or unlinks the blob: unused since then.
    else if (!transfer && info.isFile() && info.nlink === 1 && info.ctimeMs <= cutoff) {
      rmSync(file, { force: true });
      result.blobs++;
      result.bytes += info.size;
    }
  }
  return result;
}

/** Deletes runs that ended more than `days` ago, then blobs unused for `days`. */
export function collectGarbage(root: string, days: number): Collected {
  const age = days * 86400e3;
  const runs = removeEndedRuns(root, Date.now() - age);
  // The cutoff again: the blobs of the runs just removed count as unused from now.
  return { runs, ...removeUnusedBlobs(root, Date.now() - age) };
}
