// The one entry point both front ends (CLI, debug adapter) use to take a checkpoint of a target
// and decide what happens to it afterwards.
import { captureCheckpoint, type CaptureOptions } from './capture/index';
import type { TargetSession } from './capture/target-session';
import { readCheckpointFile, writeCheckpointFile } from './format/checkpoint';
import type { CheckpointManifest } from './manifest';

export interface CheckpointRequest extends CaptureOptions {
  output: string;
  hmacKey?: Buffer;
  /**
   * The target goes on as soon as its state is read (`--then continue`), and the file is written
   * and verified after. Otherwise it stays stopped until the file is known good.
   */
  resumeWhenRead?: boolean;
}

export interface CheckpointResult {
  path: string;
  bytes: number;
  manifest: CheckpointManifest;
  /** Milliseconds the target was stopped, from the pause to the file written and verified. */
  pauseMs: number;
}

/**
 * Captures, writes, and verifies by reading back. The target is still stopped on return, unless
 * `resumeWhenRead` let it go on before the write.
 */
export async function writeCheckpoint(session: TargetSession, request: CheckpointRequest): Promise<CheckpointResult> {
  const started = Date.now();
  const { manifest, sections } = await captureCheckpoint(session, request);
  let pauseMs: number | undefined;
  if (request.resumeWhenRead) {
    await resumeTarget(session);
    pauseMs = Date.now() - started;
  }
  request.onProgress?.('writing the checkpoint');
  const bytes = writeCheckpointFile(request.output, manifest, sections, request.hmacKey);
  readCheckpointFile(request.output, { hmacKey: request.hmacKey });
  return { path: request.output, bytes, manifest, pauseMs: pauseMs ?? Date.now() - started };
}

/** Lets a target stopped by capture go on. */
export async function resumeTarget(session: TargetSession): Promise<void> {
  await session.cdp.send('Debugger.resume', {}).catch(() => undefined);
}

/**
 * Closes an inspector that we opened with SIGUSR1, once our session is done, so that the target
 * is left as we found it and 127.0.0.1:9229 is free for the next process.
 */
export async function closeInspectorWeOpened(session: TargetSession): Promise<void> {
  await session.cdp
    .send('Runtime.evaluate', { expression: 'setImmediate(() => process.getBuiltinModule("inspector").close())', silent: true })
    .catch(() => undefined);
}
