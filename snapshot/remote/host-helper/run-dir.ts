// A run's directory on the host as the supervisor (launcher.sh) leaves it, and what it says of the run.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RunInfo } from '../runs';
import { FerryError } from '../../errors';
import type { RelayReport, RelayState } from '../../connections/relay-protocol';

/** The run's relay (relay.ts): where the restore reaches it, and what `ferry ps` shows. */
export const RELAY_FILE = 'relay.json';

/** Exit code 2 tells Ferry "no such run" (remote/session.ts). */
export class HelperRefusal extends FerryError {
  readonly kind = 'remote';
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A run file's text, '' when it is not there (yet). */
export function readRunFile(dir: string, name: string): string {
  try {
    return readFileSync(join(dir, name), 'utf8').trim();
  } catch {
    return '';
  }
}

export function isAlive(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The run directory for an id or an unambiguous prefix of one. */
export function findRunDir(root: string, id: string): string {
  const runs = join(root, 'runs');
  const names = existsSync(runs) ? readdirSync(runs) : [];
  const matches = names.includes(id) ? [id] : names.filter((name) => name.startsWith(id));
  if (matches.length === 1) return join(runs, matches[0]);
  throw new HelperRefusal(
    matches.length ? `run id "${id}" is ambiguous: ${matches.join(', ')}` : `no run "${id}" in ${runs}`,
  );
}

interface StatusEvent {
  event?: string;
  error?: string;
}

function statusEvents(dir: string): StatusEvent[] {
  return readRunFile(dir, 'status')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      try {
        return JSON.parse(line) as StatusEvent;
      } catch {
        return {};
      }
    });
}

function runMeta(dir: string): Partial<RunInfo> {
  try {
    return JSON.parse(readRunFile(dir, 'meta.json')) as Partial<RunInfo>;
  } catch {
    return {};
  }
}

/** A supervisor that has not even written its pid: still being started, unless that was over a minute ago. */
export function isStarting(dir: string): boolean {
  const launcherPid = Number(readRunFile(dir, 'launcher.pid'));
  if (launcherPid) return isAlive(launcherPid);
  return (statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? 0) > Date.now() - 60e3;
}

export function describeRun(dir: string): RunInfo {
  const events = statusEvents(dir);
  const failed = events.find((e) => e.event === 'failed');
  const resumed = events.some((e) => e.event === 'resumed');
  const pid = Number(readRunFile(dir, 'pid')) || null;
  // Liveness before the exit code (see follow): a process that ends in between has written its code.
  const running = pid !== null && isAlive(pid);
  const exit = readRunFile(dir, 'exit');
  let state: RunInfo['state'];
  if (exit !== '') state = resumed || !failed ? 'exited' : 'failed';
  else if (running) state = resumed ? 'running' : 'restoring';
  else if (isStarting(dir)) state = 'starting';
  else state = 'lost';
  return {
    id: basename(dir),
    state,
    exitCode: exit === '' ? null : Number(exit),
    pid,
    error: failed?.error,
    ...runMeta(dir),
    ...relayReport(dir),
  };
}

/** The run's relay as relay.ts keeps it, less how the restore reaches it. */
function relayReport(dir: string): { relay?: RelayReport } {
  try {
    const state: Partial<RelayState> = JSON.parse(readRunFile(dir, RELAY_FILE)) as RelayState;
    delete state.port;
    delete state.token;
    return { relay: state as RelayReport };
  } catch {
    return {};
  }
}
