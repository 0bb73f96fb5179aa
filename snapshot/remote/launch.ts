// Puts one restore on the host: its files into runs/<id>/, and the restore started under the
// launcher, detached from SSH, all in the round trip that carries the files.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { LAUNCHER_SH } from './launcher';
import { formatBytes, type Progress } from './progress';
import type { RemoteSession } from './session';
import { shq } from './shell';
import { hashEntries, type SyncEntry } from './sync';

export interface WorkingFile {
  /** The file on this machine. */
  source: string;
  /** Its path relative to the program's working directory; on the host that is runs/<id>/work. */
  target: string;
}

export interface LaunchOptions {
  /** The .ferry file. */
  checkpoint: string;
  /** The restore runtime (dist/restore.js). */
  runtime: string;
  files?: WorkingFile[];
  /** Node options for the restore process, e.g. --inspect-brk=127.0.0.1:0. */
  nodeArgs?: string[];
  progress?: Progress;
}

export interface LaunchedRun {
  id: string;
  /** Absolute, on the host. */
  dir: string;
  sentBytes: number;
  sentBlobs: number;
}

/** The files a run needs, hashed; probe with these so the sync knows what the host already holds. */
export function runEntries(options: LaunchOptions): SyncEntry[] {
  return [
    { target: 'restore.js', source: options.runtime },
    { target: 'checkpoint.ferry', source: options.checkpoint },
    { target: 'launcher.sh', source: Buffer.from(LAUNCHER_SH) },
    ...(options.files ?? []).map((file) => {
      if (path.isAbsolute(file.target) || file.target.split('/').includes('..')) throw new Error(`working file target must stay inside the working directory: ${file.target}`);
      return { target: `work/${file.target}`, source: file.source, copy: true };
    }),
  ];
}

export async function launchRun(session: RemoteSession, options: LaunchOptions): Promise<LaunchedRun> {
  const id = newRunId();
  const runDir = `runs/${id}`;
  const blobs = (await hashEntries(runEntries(options))).map((blob) => ({ ...blob, target: `${runDir}/${blob.target}` }));
  const meta = JSON.stringify({ startedAt: new Date().toISOString(), checkpoint: path.basename(options.checkpoint), origin: os.hostname() });
  const dir = `${session.root}/${runDir}`;
  // Absolute paths: the runtime changes into the working directory before it reports.
  const restore = [session.node, ...(options.nodeArgs ?? []), 'restore.js', 'checkpoint.ferry', '--status-file', `${dir}/status`, '--cwd', `${dir}/work`];
  const start = [
    `cd ${runDir} && mkdir -p work`,
    `printf '%s\\n' ${shq(meta)} > meta.json`,
    'if command -v setsid >/dev/null 2>&1; then detach=setsid; else detach=; fi',
    // Not a child of this SSH session: a dropped link must not take the program with it.
    `$detach nohup sh launcher.sh ${restore.map(shq).join(' ')} </dev/null >launcher.log 2>&1 &`,
  ].join('\n');
  const progress = options.progress;
  const result = await session.sync(blobs, {
    then: start,
    onProgress: progress && ((sent, total) => progress.step(`sending to ${session.host.label}: ${formatBytes(sent)} of ${formatBytes(total)}`)),
  });
  return { id, dir, ...result };
}

/** Sortable by start time, short enough to type, unique enough for one host. */
function newRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}
