// Migrate / Clone to Remote: an atomic handover across two debug sessions. The origin's adapter
// takes a checkpoint and holds the program stopped; a new `ferry` session resumes the file on the
// host; only once that session reports `ferry/resumed` is the origin ended (migrate) or let go on
// (clone). Any failure before that lets the origin go on where it was. A migration moves the
// program's connections as `ferry migrate` does: the origin's adapter hands them to a holder
// (then 'move'), and the resume on the host has it relay them there as the stub (remote/relay.ts),
// which the resumed session reports (`ferry/resumed`'s relay: the Checkpoints view, the status bar).
import * as vscode from 'vscode';
import type { CheckpointWritten } from '../adapter/checkpoint';
import { customEvent, resumeConfiguration } from './sessions';

export interface Handover {
  host: string;
  clone: boolean;
  /** 'here' for a Checkpoint and Migrate breakpoint (the program is paused there). */
  at: 'idle' | 'here';
}

export async function handOver(
  origin: vscode.DebugSession,
  handover: Handover,
  token: vscode.CancellationToken,
): Promise<CheckpointWritten> {
  const written = (await origin.customRequest('ferry/checkpoint', {
    at: handover.at,
    then: handover.clone ? 'hold' : 'move',
  })) as CheckpointWritten;
  const configuration = resumeConfiguration(written.path, handover.host);
  const isResumeSession = (s: vscode.DebugSession) => s.configuration.checkpoint === written.path;
  const resumed = customEvent<unknown>(isResumeSession, 'ferry/resumed');
  let resumeSession: vscode.DebugSession | undefined;
  const watch = vscode.debug.onDidStartDebugSession((s) => {
    if (isResumeSession(s)) resumeSession = s;
  });
  try {
    const cancelled = new Promise<never>((_, reject) =>
      token.onCancellationRequested(() => reject(new Error('cancelled: the program goes on here'))),
    );
    const started = await vscode.debug.startDebugging(origin.workspaceFolder, configuration);
    if (!started)
      throw new Error(`the program could not be resumed on ${handover.host} (see the error above); it goes on here`);
    await Promise.race([resumed.promise, cancelled]);
  } catch (error) {
    resumed.dispose();
    if (resumeSession) await vscode.debug.stopDebugging(resumeSession);
    await origin.customRequest('ferry/release', { then: 'continue' });
    throw error;
  } finally {
    watch.dispose();
  }
  await origin.customRequest('ferry/release', { then: handover.clone ? 'continue' : 'stop' });
  return written;
}
