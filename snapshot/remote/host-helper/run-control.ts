// `inspector`, `stop` and `gc`: what Ferry asks of runs on the host besides following them.
import { lstatSync, readdirSync, rmSync, existsSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { Collected, StoppedRun } from '../runs';
import { describeRun, HelperRefusal, isAlive, isStarting, readRunFile, sleep } from './run-dir';

const POLL_MS = 40;
const INSPECTOR_WAIT_MS = 30_000;
const TERM_GRACE_MS = 5_000;
const SUPERVISOR_WAIT_MS = 2_000;
/** After SIGKILL: a process leaves at once unless the kernel holds it (uninterruptible I/O). */
const KILL_WAIT_MS = 2_000;
/** The supervisor records the program's pid right after it starts it: this only runs out for a stuck one. */
const START_WAIT_MS = 10_000;

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

/** Signals a process group, or the process alone when it leads none (yet). */
function signalGroup(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(-pid, name);
  } catch {
    try {
      process.kill(pid, name);
    } catch {
      /* already gone */
    }
  }
}

/** TERM, then KILL after a grace period; true once the process is gone. */
async function endGroup(pid: number): Promise<boolean> {
  signalGroup(pid, 'SIGTERM');
  await waitWhileAlive(() => pid, TERM_GRACE_MS);
  if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
  await waitWhileAlive(() => pid, KILL_WAIT_MS);
  return !isAlive(pid);
}

/**
 * The program's pid, once its supervisor recorded it (0: it started none). The supervisor records
 * it right after starting the program: a stop that came in between waits for it, rather than
 * report "not running" and leave the program to start behind its back.
 */
async function recordedPid(dir: string): Promise<number> {
  for (let waited = 0; waited < START_WAIT_MS; waited += POLL_MS) {
    const pid = Number(readRunFile(dir, 'pid'));
    if (pid || !isStarting(dir)) return pid;
    await sleep(POLL_MS);
  }
  return Number(readRunFile(dir, 'pid'));
}

/** A supervisor that did not record a program in time is ended before it can start one. */
async function endStuckSupervisor(dir: string): Promise<boolean> {
  const launcher = Number(readRunFile(dir, 'launcher.pid'));
  return !isAlive(launcher) || (await endGroup(launcher));
}

/**
 * Ends the run's process group (TERM, then KILL after a grace period) and, optionally, removes its
 * directory. A program still alive after that is reported (`ended: false`) and its directory kept:
 * without it, nothing could name the program to stop it again.
 */
export async function stopRun(dir: string, remove: boolean): Promise<StoppedRun> {
  const supervisorGone = (await recordedPid(dir)) !== 0 || (await endStuckSupervisor(dir));
  // Read again: a supervisor ended as stuck may have recorded a program just before.
  const pid = Number(readRunFile(dir, 'pid'));
  const wasRunning = isAlive(pid);
  const ended = supervisorGone && (!wasRunning || (await endGroup(pid)));
  // Until the supervisor is gone, not just until it wrote the exit code: it still writes in the directory after that.
  if (wasRunning) await waitWhileAlive(() => Number(readRunFile(dir, 'launcher.pid')), SUPERVISOR_WAIT_MS);
  const keeper = Number(readRunFile(dir, 'stdin.keeper'));
  if (isAlive(keeper))
    try {
      process.kill(keeper);
    } catch {
      /* ended meanwhile */
    }
  const state = describeRun(dir);
  const removed = remove && ended;
  if (removed) rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: POLL_MS });
  return { ...state, wasRunning, ended, removed };
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
