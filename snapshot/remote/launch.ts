// Puts one restore on the host: its files into runs/<id>/, and the restore started under the
// launcher, detached from SSH, all in the round trip that carries the files. The program runs where
// its placement says (placement.ts); a migration's working files wait in runs/<id>/shipped/ for the
// restore to put them in place, as it does with the ones a checkpoint carries.
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runSupervisorScript } from '../assets';
import { parseStatusLines, type StatusEvent } from './follow';
import { formatBytes } from '../bytes';
import type { Progress } from './progress';
import type { RemoteSession } from './session';
import { shq } from './shell';
import { hashEntries, type SyncEntry } from './sync';
import type { WorkingFile } from '../capture/workfiles';
import { SHIPPED, type WorkingFileEntry } from '../format/workfiles';
import type { Placement } from './placement';
import { RELAY_FILE } from './host-helper/run-dir';

export interface LaunchOptions {
  /** The .ferry file. */
  checkpoint: string;
  /** Where the program runs on the host (none for a stand-in runtime, which runs in the run directory). */
  placement?: Placement;
  /** The checkpoint's HMAC key: written to a 0600 file in the run directory through ssh's stdin,
   * never onto a command line (which `ps` shows to every user of the host). */
  key?: Buffer;
  /** The restore runtime (dist/restore.js). */
  runtime: string;
  files?: WorkingFile[];
  /** Wait up to this long, in the round trip that starts the run, for it to report resumed or failed:
   * a handover learns the outcome without another round trip and a follower's start (migrate). */
  awaitStatusMs?: number;
  /** Node options for the restore process, e.g. --inspect-brk=127.0.0.1:0. */
  nodeArgs?: string[];
  /** Put back the checkpoint's copies of the program's files that changed there since. */
  overwrite?: boolean;
  progress?: Progress;
  /** The run's id, when it must be known before it is sent (a relay started for it); default a new one. */
  id?: string;
  /** The program's connections come relayed from a stub on the origin (remote/relay.ts). */
  relay?: boolean;
}

export interface LaunchedRun {
  id: string;
  /** Absolute, on the host. */
  dir: string;
  sentBytes: number;
  sentBlobs: number;
  /** With awaitStatusMs: the status lines the run had written by then (see follow.ts). */
  status: StatusEvent[];
}

/** The files a run needs, hashed; probe with these so the sync knows what the host already holds. */
export function runEntries(options: LaunchOptions): SyncEntry[] {
  return [
    { target: 'restore.js', source: options.runtime },
    { target: 'checkpoint.ferry', source: options.checkpoint },
    { target: 'launcher.sh', source: runSupervisorScript() },
    ...shippedEntries(options.files ?? []),
  ];
}

/** The working files, at their paths under shipped/files/ (hard links: the restore copies them into place), and their index. */
function shippedEntries(files: WorkingFile[]): SyncEntry[] {
  if (files.length === 0) return [];
  const index: WorkingFileEntry[] = files.map((file) => {
    if (path.isAbsolute(file.target) || file.target.split('/').includes('..'))
      throw new Error(`working file target must stay inside the working directory: ${file.target}`);
    const stat = statSync(file.source);
    return {
      path: file.target,
      mode: stat.mode & 0o777,
      size: stat.size,
      ...(file.input ? { input: true } : {}),
      mtimeMs: stat.mtimeMs,
    };
  });
  return [
    { target: `shipped/${SHIPPED.index}`, source: Buffer.from(JSON.stringify(index)) },
    ...files.map((file) => ({ target: `shipped/${SHIPPED.files}/${file.target}`, source: file.source })),
  ];
}

export async function launchRun(session: RemoteSession, options: LaunchOptions): Promise<LaunchedRun> {
  const id = options.id ?? newRunId();
  const runDir = `runs/${id}`;
  const blobs = (await hashEntries(runEntries(options))).map((blob) => ({
    ...blob,
    target: `${runDir}/${blob.target}`,
  }));
  const meta = JSON.stringify({
    startedAt: new Date().toISOString(),
    checkpoint: path.basename(options.checkpoint),
    origin: os.hostname(),
  });
  const dir = `${session.root}/${runDir}`;
  // Absolute paths: the runtime changes into the working directory before it reports.
  const restore = [
    session.node,
    ...(options.nodeArgs ?? []),
    'restore.js',
    'checkpoint.ferry',
    '--status-file',
    `${dir}/status`,
    ...(options.placement?.mapped ? ['--cwd', options.placement.dir] : []),
    ...(options.files?.length ? ['--files', `${dir}/shipped`] : []),
    ...(options.key ? ['--key-file', `${dir}/key`] : []),
    ...(options.overwrite ? ['--overwrite'] : []),
    ...(options.relay ? ['--relay', `${dir}/${RELAY_FILE}`] : []),
  ];
  if (options.key) await writeKey(session, runDir, options.key);
  const start = [
    `cd ${runDir}`,
    `printf '%s\\n' ${shq(meta)} > meta.json`,
    'if command -v setsid >/dev/null 2>&1; then detach=setsid; else detach=; fi',
    // The stdin FIFO exists before this command returns: a feeder started after it (stdin.ts) must
    // find the FIFO, not create a plain file in its place (which made the launcher's mkfifo fail).
    'rm -f stdin && mkfifo stdin',
    // Not a child of this SSH session: a dropped link must not take the program with it.
    `$detach nohup sh launcher.sh ${restore.map(shq).join(' ')} </dev/null >launcher.log 2>&1 &`,
    ...(options.awaitStatusMs
      ? [
          `i=0; while ! grep -qsE '"event":"(resumed|failed)"' status && [ ! -e exit ] && [ $i -lt ${Math.ceil(options.awaitStatusMs / 10)} ]; do sleep 0.01 2>/dev/null || sleep 1; i=$((i + 1)); done`,
          'cat status 2>/dev/null || true',
        ]
      : []),
  ].join('\n');
  const progress = options.progress;
  const result = await session.sync(blobs, {
    then: start,
    onProgress:
      progress &&
      ((sent, total) =>
        progress.step(`sending to ${session.host.label}: ${formatBytes(sent)} of ${formatBytes(total)}`)),
  });
  const { output, ...sent } = result;
  return { id, dir, ...sent, status: parseStatusLines(output) };
}

async function writeKey(session: RemoteSession, runDir: string, key: Buffer): Promise<void> {
  const result = await session.host.exec(
    `umask 077 && mkdir -p ${shq(`${session.root}/${runDir}`)} && cat > ${shq(`${session.root}/${runDir}/key`)}`,
    key,
  );
  if (result.code !== 0)
    throw new Error(
      `cannot put the checkpoint key on ${session.host.label}: ${result.stderr.trim() || `exit ${result.code}`}`,
    );
}

/** Sortable by start time, short enough to type, unique enough for one host. */
export function newRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}
