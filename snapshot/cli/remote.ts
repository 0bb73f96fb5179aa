// The `ferry` commands that act on a remote host. The dispatcher (snapshot/cli.ts) parses argv and
// calls these with plain options; each prints what the user should see and returns the exit code.
//   ferry restore CHECKPOINT --on HOST [--cwd DIR] [--ssh-config F] [--remote-dir D] [--debug[=PORT]] [--detach] [--forward PORT|L:R]... [--ship-node] [--keep]
//   ferry ps --on HOST [--json]        ferry logs --on HOST RUN        ferry stop --on HOST RUN [--remove]
//   ferry gc --on HOST [--older-than DAYS]
import { CheckpointFormatError } from '../format/checkpoint';
import { checkpointKey } from '../format/key';
import { RemoteError, type RemoteFailureReason } from '../remote/errors';
import { follow, type RunEnd } from '../remote/follow';
import type { WorkingFile } from '../capture/workfiles';
import { migrate, type MigrateOptions } from '../remote/migrate';
import { restoreRemote } from '../remote/restore';
import {
  collectGarbage as collectGarbageOn,
  listRuns as listRunsOn,
  stopRun as stopRunOn,
  describeRelay,
  type RunInfo,
  type StoppedRun,
} from '../remote/runs';
import { endStubAfterStop } from '../remote/relay';
import { formatBytes } from '../bytes';
import { onHostWords, RemoteSession, type HostOptions } from '../remote/session';

export type RemoteHostOptions = HostOptions;

export interface RestoreOnHostOptions extends HostOptions {
  checkpoint: string;
  /** --debug (true: Ferry picks the local port) or --debug=PORT. */
  debug?: boolean | number;
  detach?: boolean;
  /** --forward, repeatable: ports the restored program listens on, made reachable on this machine's loopback. */
  forwardPorts?: Array<number | string>;
  /** --keep: keep the run directory on the host after a foreground run ends. */
  keepRun?: boolean;
  /** Working files to ship, from the checkpoint's handle policies. */
  files?: WorkingFile[];
  /** Another restore runtime than dist/restore.js (tests). */
  runtime?: string;
  /** --key-file: the HMAC key of a signed checkpoint (default: FERRY_KEY). */
  keyFile?: string;
  /** --cwd: run the program in this directory on the host, not the one it ran in. */
  cwd?: string;
  /** --overwrite: put back the checkpoint's copies of the program's files changed there since. */
  overwrite?: boolean;
  /** --close-connections: the program's connections are restored closed, not relayed from here. */
  closeConnections?: boolean;
}

export interface RunOnHostOptions extends HostOptions {
  /** A run id, or a unique prefix of one. */
  runId: string;
}

/** `ferry restore CHECKPOINT --on HOST`: the program's exit code in the foreground, 0 once detached. */
export async function restoreOnHost(options: RestoreOnHostOptions): Promise<number> {
  return reportErrors(async () => {
    const key = checkpointKey(options.keyFile);
    const result = await restoreRemote(
      { ...options, key },
      {
        stdin: options.detach ? undefined : process.stdin,
        stdout: (chunk) => process.stdout.write(chunk),
        stderr: (chunk) => process.stderr.write(chunk),
        notice: (text) => process.stderr.write(`ferry: ${text}\n`),
      },
    );
    if (result.failure) {
      process.stderr.write(`ferry: ${result.failure}\n`);
      return result.end.kind === 'exited' ? result.end.code : EXIT.restoreFailed;
    }
    return exitCodeOf(result.end);
  });
}

/** `ferry ps --on HOST [--json]`. */
export async function listRuns(options: HostOptions & { json?: boolean }): Promise<number> {
  return reportErrors(async () => {
    const session = await RemoteSession.open(options, []);
    const runs = await listRunsOn(session);
    if (options.json) process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
    else process.stdout.write(formatRuns(runs));
    return 0;
  });
}

/** `ferry logs --on HOST RUN`: its output so far, then live until it exits; exits with its exit code. */
export async function followLogs(options: RunOnHostOptions): Promise<number> {
  return reportErrors(async () => {
    const session = await RemoteSession.open(options, []);
    const following = await follow(session, options.runId, {
      stdout: (chunk) => process.stdout.write(chunk),
      stderr: (chunk) => process.stderr.write(chunk),
    });
    const end = await following.end;
    if (end.kind === 'error') throw end.error;
    if (end.kind === 'vanished')
      process.stderr.write(
        `ferry: run ${options.runId} on ${options.host} ended without an exit code (its supervisor was killed${end.left ? `; ${end.left}` : ''})\n`,
      );
    return exitCodeOf(end);
  });
}

/** `ferry stop --on HOST RUN [--remove]`: the program and its stub end, or it says it could not. */
export async function stopRun(options: RunOnHostOptions & { remove?: boolean }): Promise<number> {
  return reportErrors(async () => {
    let stopped: StoppedRun;
    try {
      const session = await RemoteSession.open(options, []);
      stopped = await stopRunOn(session, options.runId, options.remove === true);
    } catch (error) {
      throw couldNotStop(error, options);
    }
    await endStubAfterStop(stopped.relay);
    const what = stopped.wasRunning
      ? `stopped ${stopped.id}`
      : `${stopped.id} was not running (${stopped.state}${stopped.exitCode === null ? '' : `, exit code ${stopped.exitCode}`})`;
    process.stderr.write(`ferry: ${what}${stopped.removed ? '; its directory is removed' : ''}\n`);
    return 0;
  });
}

/** A stop that did not reach the run says so: the run may go on there. */
function couldNotStop(error: unknown, options: RunOnHostOptions): unknown {
  if (!(error instanceof RemoteError) || error.reason === 'no-such-run' || error.reason === 'not-stopped') return error;
  return new RemoteError(
    error.reason,
    `could not stop run ${options.runId} on ${options.host}: ${error.message}. It may still be running there: \`ferry stop ${onHostWords(options)} ${options.runId}\` again once the host answers`,
  );
}

/** Unused blobs and ended runs are kept this long by default: a migration back soon after sends only what changed. */
export const GC_DEFAULT_DAYS = 7;

/** `ferry gc --on HOST [--older-than DAYS]`: removes runs that ended, and blobs unused, for DAYS (default 7; 0: all). */
export async function collectGarbage(options: HostOptions & { olderThanDays?: number }): Promise<number> {
  return reportErrors(async () => {
    const session = await RemoteSession.open(options, []);
    const collected = await collectGarbageOn(session, options.olderThanDays ?? GC_DEFAULT_DAYS);
    process.stderr.write(
      `ferry: removed ${collected.runs.length} ended run(s) and ${collected.blobs} unused blob(s) (${formatBytes(collected.bytes)}) on ${options.host}\n`,
    );
    return 0;
  });
}

export const EXIT = { usage: 1, unavailable: 69, restoreFailed: 70, ssh: 255 } as const;

const EXIT_BY_REASON: Record<RemoteFailureReason, number> = {
  unreachable: EXIT.ssh,
  auth: EXIT.ssh,
  'host-key-changed': EXIT.ssh,
  'host-key-unknown': EXIT.ssh,
  'connection-lost': EXIT.ssh,
  ssh: EXIT.ssh,
  'node-missing': EXIT.unavailable,
  'node-too-old': EXIT.unavailable,
  'not-writable': EXIT.unavailable,
  'disk-full': EXIT.unavailable,
  'restore-failed': EXIT.restoreFailed,
  'no-such-run': EXIT.usage,
  'not-stopped': EXIT.usage,
};

function exitCodeOf(end: RunEnd): number {
  if (end.kind === 'exited') return end.code;
  return end.kind === 'detached' ? 0 : EXIT.ssh;
}

async function reportErrors(body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    // A bad checkpoint file exits as it does for every other command (the dispatcher's code 3).
    if (error instanceof CheckpointFormatError) throw error;
    process.stderr.write(`ferry: ${(error as Error).message}\n`);
    return error instanceof RemoteError ? EXIT_BY_REASON[error.reason] : EXIT.usage;
  }
}

function formatRuns(runs: RunInfo[]): string {
  if (!runs.length) return 'no runs\n';
  const rows = [
    ['RUN', 'STATE', 'EXIT', 'PID', 'STARTED', 'CHECKPOINT', 'FROM'],
    ...runs.map((run) => [
      run.id,
      run.state,
      run.exitCode === null ? '-' : String(run.exitCode),
      run.pid === null ? '-' : String(run.pid),
      run.startedAt ?? '-',
      run.checkpoint ?? '-',
      run.origin ?? '-',
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  // A run's relayed connections on a line of their own, under it.
  const relayLine = (run: RunInfo | undefined) => (run?.relay ? [`  ${describeRelay(run.relay)}`] : []);
  return rows.flatMap((row, index) => [line(row), ...relayLine(runs[index - 1])]).join('\n') + '\n';
}

/** What `ferry migrate` takes: the migration's own options (snapshot/remote/migrate.ts). */
export type MigrateCommandOptions = MigrateOptions;

/** `ferry migrate (--pid PID | --inspect ADDR) --on HOST [--clone] [--follow]`: 0 once handed over (or the program's exit code with --follow). */
export async function migrateToHost(options: MigrateCommandOptions): Promise<number> {
  return reportErrors(async () => {
    const result = await migrate(options, {
      stdout: (chunk) => process.stdout.write(chunk),
      stderr: (chunk) => process.stderr.write(chunk),
      notice: (text) => process.stderr.write(`ferry: ${text}\n`),
    });
    if (result.end) return exitCodeOf(result.end);
    const on = onHostWords(options);
    process.stderr.write(
      `ferry: follow it with \`ferry logs ${on} ${result.run.id}\`, stop it with \`ferry stop ${on} ${result.run.id}\`\n`,
    );
    return 0;
  });
}
