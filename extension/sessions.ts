// Debug configurations Ferry starts for itself, and the debug sessions commands act on.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { hostWorkingDirectory, sshConfigFile } from './settings';

export const DEBUG_TYPE = 'ferry';
export const CHECKPOINT_DEBUG_TYPE = 'ferry-checkpoint';

/** A `ferry` session that resumes `checkpoint` here (`overwrite`: see adapter/config.ts), or on `host`, and debugs it. */
export function resumeConfiguration(checkpoint: string, host?: string, overwrite = false): vscode.DebugConfiguration {
  const name = basename(checkpoint, '.ferry');
  return {
    type: DEBUG_TYPE,
    request: 'launch',
    name: host ? `Ferry: ${name} on ${host}` : `Ferry: ${name} (resumed)`,
    checkpoint,
    ...(host ? { host, sshConfigFile: sshConfigFile(), hostCwd: hostWorkingDirectory() } : {}),
    ...(overwrite ? { overwrite } : {}),
  };
}

/** A read-only session over a checkpoint file: no process runs. */
export function openConfiguration(checkpoint: string): vscode.DebugConfiguration {
  return { type: CHECKPOINT_DEBUG_TYPE, request: 'launch', name: `Checkpoint: ${basename(checkpoint)}`, checkpoint };
}

/** The `ferry` session a command acts on: the focused one. */
export function activeFerrySession(): vscode.DebugSession {
  const session = vscode.debug.activeDebugSession;
  if (session?.type !== DEBUG_TYPE) throw new Error('start a Ferry debug session first (debug type "ferry")');
  return session;
}

/** Resolves with the first custom event `event` of `session`; rejects if the session ends first. */
export function customEvent<T>(
  matches: (session: vscode.DebugSession) => boolean,
  event: string,
): { promise: Promise<T>; dispose(): void } {
  const subscriptions: vscode.Disposable[] = [];
  const promise = new Promise<T>((resolve, reject) => {
    subscriptions.push(
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.event === event && matches(e.session)) resolve(e.body as T);
      }),
      vscode.debug.onDidTerminateDebugSession((session) => {
        if (matches(session)) reject(new Error(`the session "${session.name}" ended before it reported ${event}`));
      }),
    );
  });
  const dispose = () => subscriptions.forEach((s) => s.dispose());
  void promise.then(dispose, dispose);
  return { promise, dispose };
}
