// Runs already on a host: list, inspector address, signal, stop and remove.
import type { RelayReport } from '../connections/relay-protocol';
import { onHostWords, type HostOptions, type RemoteSession } from './session';
import { formatBytes } from '../bytes';
import { describeConnection } from '../format/connections';
import { RemoteError } from './errors';
import { shq } from './shell';

export interface RunInfo {
  id: string;
  state: 'starting' | 'restoring' | 'running' | 'exited' | 'failed' | 'lost';
  exitCode: number | null;
  pid: number | null;
  error?: string;
  startedAt?: string;
  checkpoint?: string;
  origin?: string;
  /** The program's connections, relayed by a stub on the origin (connections/relay.ts). */
  relay?: RelayReport;
}

/** How `ferry ps` and the editor say what a run's relay does: the stub, its connections, its bytes. */
export function describeRelay(relay: RelayReport): string {
  const stub = `stub${relay.stubPid ? ` pid ${relay.stubPid}` : ''}${relay.origin ? ` on ${relay.origin}` : ''}`;
  const counts = `${relay.open} connection(s) open, ${relay.relayed} in all, ${formatBytes(relay.bytesIn)} in, ${formatBytes(relay.bytesOut)} out`;
  const state = relay.state === 'relaying' ? '' : ` (${relay.state}${relay.why ? `: ${relay.why}` : ''})`;
  const held = (relay.sockets ?? []).map((socket) => `\n    ${describeConnection(socket)}`);
  return `relayed by the ${stub}: ${counts}${state}${held.join('')}`;
}

export interface StoppedRun extends RunInfo {
  wasRunning: boolean;
  /** The program is gone (stopped now, or ended before); false: it outlived SIGKILL, its directory is kept. */
  ended: boolean;
  removed: boolean;
}

export interface Collected {
  /** Ids of the ended runs removed. */
  runs: string[];
  blobs: number;
  bytes: number;
}

/** Removes runs that ended more than `days` ago and the blobs no run has used for `days` (content-addressed store: remote/sync.ts). */
export async function collectGarbage(session: RemoteSession, days: number): Promise<Collected> {
  if (!(days >= 0)) throw new Error(`the age for garbage collection is a number of days, not ${days}`);
  return JSON.parse(await session.helper('gc', [String(days)])) as Collected;
}

export async function listRuns(session: RemoteSession): Promise<RunInfo[]> {
  return JSON.parse(await session.helper('ps')) as RunInfo[];
}

/**
 * Ends the run (TERM to its process group, KILL after 5 s) and, with `remove`, deletes its
 * directory. A program that outlives that is an error naming it (host, run, pid): never a stop
 * that looks done while the program goes on.
 */
export async function stopRun(session: RemoteSession, runId: string, remove: boolean): Promise<StoppedRun> {
  const stopped = JSON.parse(await session.helper('stop', remove ? [runId, '--remove'] : [runId])) as StoppedRun;
  if (!stopped.ended)
    throw new RemoteError(
      'not-stopped',
      `could not stop run ${stopped.id} on ${session.host.label}: its program (pid ${stopped.pid ?? 'unknown'}) is still running after SIGKILL; its directory is kept`,
    );
  return stopped;
}

/**
 * Stops a run that was given up (a failed restore or migration): '' once it is stopped, else what
 * the user must hear: it may go on there, and how to stop it.
 */
export async function stopGivenUpRun(session: RemoteSession, runId: string, host: HostOptions): Promise<string> {
  try {
    await stopRun(session, runId, true);
    return '';
  } catch (error) {
    const why =
      error instanceof RemoteError && error.reason === 'not-stopped'
        ? error.message
        : `could not stop run ${runId} on ${session.host.label}: ${(error as Error).message}`;
    return `${why}. It may still be running there: \`ferry stop ${onHostWords(host)} ${runId} --remove\``;
  }
}

/** The ws:// URL of the run's inspector, as it printed it on the host (waits until it does). */
export async function remoteInspectorUrl(session: RemoteSession, runId: string): Promise<string> {
  return (await session.helper('inspector', [runId])).trim();
}

export async function signalRun(session: RemoteSession, runDir: string, signal: 'INT' | 'TERM'): Promise<void> {
  await session.host.exec(
    `pid=$(cat ${shq(`${runDir}/pid`)}) && { kill -${signal} -- -$pid 2>/dev/null || kill -${signal} $pid; }`,
  );
}
