// `follow`: streams a run's out, err and status files as frames until it exits (wire-protocol.ts).
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { encodeFrame, FRAME } from '../wire-protocol';
import { isAlive, readRunFile, sleep } from './run-dir';

const POLL_MS = 40;
/** A launcher that has not written its pid after a minute is not coming (a loaded host can take seconds). */
const LAUNCHER_PATIENCE_POLLS = 1500;

interface Source {
  file: string;
  type: number;
  offset: number;
}

function send(type: number, payload: Buffer): void {
  process.stdout.write(encodeFrame(type, payload));
}

/** Sends what each file gained since the last pump. */
function pump(sources: Source[], buffer: Buffer): void {
  for (const source of sources) {
    let fd: number;
    try {
      fd = openSync(source.file, 'r');
    } catch {
      continue;
    }
    try {
      for (let n; (n = readSync(fd, buffer, 0, buffer.length, source.offset)) > 0;) {
        source.offset += n;
        send(source.type, Buffer.from(buffer.subarray(0, n)));
      }
    } finally {
      closeSync(fd);
    }
  }
}

/** What is left of a supervisor that died without an exit code: which of its files exist, and its own output. */
function lostReport(dir: string, launcherPid: number): string {
  const present = ['launcher.pid', 'pid', 'stdin.keeper', 'exit.tmp', 'exit'].filter((name) =>
    existsSync(join(dir, name)),
  );
  const log = readRunFile(dir, 'launcher.log').split('\n').slice(-5).join(' | ');
  return `supervisor pid ${launcherPid || 'unknown'}; files: ${present.join(' ')}${log ? `; its output: ${log}` : ''}`;
}

export async function followRun(dir: string): Promise<void> {
  const sources: Source[] = [
    { file: join(dir, 'out'), type: FRAME.stdout, offset: 0 },
    { file: join(dir, 'err'), type: FRAME.stderr, offset: 0 },
    { file: join(dir, 'status'), type: FRAME.status, offset: 0 },
  ];
  const buffer = Buffer.alloc(1 << 16);
  for (let polls = 0; ; polls++) {
    // The supervisor's liveness first, then its exit code: one that dies between the two has
    // written its code before dying, so "gone without a code" is never a code written just now.
    const launcherPid = Number(readRunFile(dir, 'launcher.pid'));
    const launcherAlive = isAlive(launcherPid);
    // The exit code before reading, so every byte written before it is sent.
    const exit = readRunFile(dir, 'exit');
    pump(sources, buffer);
    if (exit !== '') return send(FRAME.end, Buffer.from(exit));
    // An empty pid file is one the shell has created and not yet written.
    if (!launcherAlive && (launcherPid > 0 || polls > LAUNCHER_PATIENCE_POLLS))
      return send(FRAME.end, Buffer.from(`lost\n${lostReport(dir, launcherPid)}`));
    await sleep(POLL_MS);
  }
}
