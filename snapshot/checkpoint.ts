// The one entry point both front ends (CLI, debug adapter) use to take a checkpoint of a target
// and decide what happens to it afterwards.
import { captureCheckpoint, type CaptureOptions } from './capture/index';
import type { TargetSession } from './capture/target-session';
import { readCheckpointFile, writeCheckpointFile } from './format/checkpoint';
import type { CheckpointManifest } from './manifest';
import { readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { workingFiles } from './capture/workfiles';
import { packWorkingFiles } from './format/workfiles';

/** A working file larger than this stays behind (with a warning in the manifest). */
const MAX_WORKING_FILE_BYTES = 256 << 20;

export interface CheckpointRequest extends CaptureOptions {
  output: string;
  hmacKey?: Buffer;
  /**
   * The target goes on as soon as its state is read (`--then continue`), and the file is written
   * and verified after. Otherwise it stays stopped until the file is known good.
   */
  resumeWhenRead?: boolean;
  /**
   * Put the program's working files in the checkpoint (default: yes, when the program runs on
   * this machine). A migration ships them on its own, content-addressed.
   */
  workingFiles?: boolean;
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
  // Read while the program is still stopped, so that the files match its state.
  if (request.workingFiles !== false && manifest.originHost === hostname()) {
    // The program's own scripts (CommonJS and ES modules) are not working files: the checkpoint has their code.
    const modules = new Set([...manifest.modules, ...[...session.scripts.values()].flatMap((s) => (s.url.startsWith('file://') ? [fileURLToPath(s.url)] : []))]);
    const files = workingFiles(manifest.program.pid, manifest.program.cwd).filter((f) => !modules.has(f.source)).flatMap((f) => {
      try {
        const stat = statSync(f.source);
        if (stat.size <= MAX_WORKING_FILE_BYTES) return [{ path: f.target, mode: stat.mode & 0o777, data: readFileSync(f.source) }];
        manifest.warnings.push(`the working file ${f.target} (${stat.size} bytes) is too large to put in the checkpoint: restored elsewhere, it must be there already`);
        return [];
      } catch {
        return []; // gone meanwhile: it was not the program's to keep
      }
    });
    if (files.length > 0) {
      sections.push(['workfiles', packWorkingFiles(files)]);
      manifest.handles.workingFiles = files.map((f) => ({ path: f.path, bytes: f.data.length, policy: 'ship' }));
    }
  }
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
