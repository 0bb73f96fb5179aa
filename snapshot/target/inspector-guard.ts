// Closes an inspector a Ferry command opened with SIGUSR1 when that command dies before its
// watchdog is in the program (target/claim.ts). Between the signal and the watchdog, only the
// command knows to close the inspector, and kill -9 gives it no last word. So the command first
// starts a guard: a detached process reading a pipe from it. A word on the pipe disarms the guard;
// the pipe closing without one (the kernel closes it when the command dies) sets it off.
import { spawn, type ChildProcess } from 'node:child_process';
import { inspectorGuardPath } from '../assets';
import type { NodeProcess } from './node-process';

/** What the command writes once the watchdog is in, or the inspector is already closed by other means. */
export const DISARM = 'disarm\n';

export interface InspectorGuard {
  /** The command has the inspector in hand again: the guard ends without acting. */
  disarm(): void;
}

/** Starts the guard of `target`, run by the target's own Node (the command may run in Electron). */
export function guardInspectorOpening(target: NodeProcess): InspectorGuard {
  const child: ChildProcess = spawn(
    target.executable,
    [inspectorGuardPath(), String(target.pid), target.startTime, target.inspectorPorts.join(',')],
    { detached: true, stdio: ['pipe', 'ignore', 'ignore'] },
  );
  child.unref();
  child.on('error', () => undefined); // a guard that cannot start leaves the watchdog as the only guard
  child.stdin!.on('error', () => undefined);
  return {
    disarm: () => {
      if (!child.stdin!.writableEnded) child.stdin!.end(DISARM);
    },
  };
}
