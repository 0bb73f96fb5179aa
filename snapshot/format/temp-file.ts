// The temp file a checkpoint is written to before its rename, beside the output, and the sweep of
// those that writers killed mid-write (kill -9, a crash) left behind. Each name carries its
// writer's pid and start time, so a later write removes the ones whose writer is gone, and never
// a live writer's (nor, once its pid is reused, mistakes the new process for the writer).
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startTimeOf } from '../target/node-process';

const TEMP_NAME = /^\.ferry-(\d+)-(\d+)-[0-9a-f]+\.tmp$/;

/** A checkpoint's temp file, named as now or as before writers' pids were in the name: never one of the program's files. */
export function isTempFileName(name: string): boolean {
  return /^\.ferry-[0-9a-f-]+\.tmp$/.test(name);
}

/** A fresh temp file name in dir: short, whatever the output's name (which may be as long as NAME_MAX). */
export function tempFileIn(dir: string): string {
  return join(dir, `.ferry-${process.pid}-${startTime(process.pid)}-${randomBytes(4).toString('hex')}.tmp`);
}

/** Removes the temp files in dir whose writer is no longer running; what cannot be removed stays. */
export function removeStaleTempFiles(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // the write that follows reports a missing directory
  }
  for (const name of names) {
    const match = TEMP_NAME.exec(name);
    if (!match || writerRunning(Number(match[1]), match[2])) continue;
    try {
      rmSync(join(dir, name), { force: true });
    } catch {
      // another user's, in a shared directory: theirs to remove
    }
  }
}

function writerRunning(pid: number, startedAt: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // The pid is taken: by the writer only if it started when the writer did (no /proc: assume so).
  return startedAt === '0' || startTime(pid) === startedAt;
}

/** The process's start time (/proc/PID/stat), or '0' where /proc cannot tell. */
function startTime(pid: number): string {
  try {
    return startTimeOf(pid);
  } catch {
    return '0';
  }
}
