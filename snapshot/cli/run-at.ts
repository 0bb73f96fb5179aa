// `ferry run --checkpoint-at FILE:LINE[#HIT] -- SCRIPT`: runs a program under Ferry's control and
// takes a Checkpoint Here the HIT-th time it reaches FILE:LINE (a breakpoint no one has to press).
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Protocol } from 'devtools-protocol';
import { openTargetSession } from '../capture/target-session';
import { launchWithInspector } from '../target/launch';
import { resumeTarget, writeCheckpointThen, type CheckpointResult, type ThenPolicy } from '../checkpoint';
import { formatBytes } from '../bytes';
import { checkpointKey } from '../format/key';
import { callInTarget } from '../cdp/in-target';
import { countBreakpointHit, takeStopInstant } from '../capture/breakpoint-hits';
import { PROGRAM_ENDED } from '../capture/pause';
import type { TargetSession } from '../capture/target-session';

/** Where the program keeps its count of the breakpoint's hits (a Symbol.for key), until Ferry takes it out. */
const HITS_KEY = 'ferry.checkpointAt';

export interface CheckpointPoint {
  file: string;
  /** 1-based. */
  line: number;
  /** Which arrival at the line (1-based). */
  hit: number;
}

export function parseCheckpointPoint(text: string): CheckpointPoint | undefined {
  const match = /^(.+):(\d+)(?:#(\d+))?$/.exec(text);
  if (!match || Number(match[2]) < 1 || (match[3] !== undefined && Number(match[3]) < 1)) return undefined;
  return { file: resolvePath(match[1]), line: Number(match[2]), hit: match[3] === undefined ? 1 : Number(match[3]) };
}

export interface RunAtCommand {
  script: string;
  args: string[];
  at: CheckpointPoint;
  output: string;
  then: ThenPolicy;
  /** Only where the line is reached: a refusal there stands (no stepping on to the nearest point Ferry can resume). */
  exact: boolean;
  keyFile?: string;
  progress: (step: string) => void;
}

/** Resolves with the exit code: the program's (it went on, or ended first), or 0 once stopped after its checkpoint. */
export async function runWithCheckpointAt(options: RunAtCommand): Promise<number> {
  const hmacKey = checkpointKey(options.keyFile); // a bad key is refused before the program starts
  const launched = await launchWithInspector({ program: options.script, args: options.args, breakOnStart: true });
  const exited = new Promise<number>((resolve) =>
    launched.child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + 9 : 1))),
  );
  let reached = false;
  let onReached!: (event: Protocol.Debugger.PausedEvent) => void;
  const arrival = new Promise<Protocol.Debugger.PausedEvent>((resolve) => (onReached = resolve));
  const session = await openTargetSession(launched.webSocketUrl, {
    startedWithBreak: true,
    // Before the program starts: the breakpoint, and the listener for its pauses (a pause can
    // arrive in the same read as the answer to the resume that starts the program).
    beforeStart: async (cdp) => {
      const { breakpointId } = await cdp.send('Debugger.setBreakpointByUrl', {
        url: pathToFileURL(options.at.file).href,
        lineNumber: options.at.line - 1,
        condition: callInTarget(countBreakpointHit, HITS_KEY, options.at.hit),
      });
      cdp.on('Debugger.paused', (event) => {
        if (reached) return; // from here on, pauses are the capture's own steps
        if (event.hitBreakpoints?.includes(breakpointId)) {
          reached = true;
          void cdp.send('Debugger.removeBreakpoint', { breakpointId }).catch(() => undefined);
          return onReached(event);
        }
        void cdp.send('Debugger.resume', {}).catch(() => undefined);
      });
    },
  });
  // With a debugger attached, a finished program waits for it to leave.
  let finished = false;
  launched.child.stderr!.on('data', (chunk: Buffer) => {
    if (!chunk.toString().includes('Waiting for the debugger to disconnect')) return;
    finished = true;
    void session.cdp.close();
  });
  const first = await Promise.race([arrival, exited.then((code) => ({ code }))]);
  const where = `${options.at.file}:${options.at.line}${options.at.hit > 1 ? ` (hit ${options.at.hit})` : ''}`;
  if ('code' in first) {
    process.stderr.write(
      `ferry: the program ended (exit code ${first.code}) before it reached ${where}: no checkpoint was written\n`,
    );
    return codeWithoutCheckpoint(first.code);
  }
  try {
    const result = await writeCheckpointThen(session, options.then, {
      at: 'here',
      pausedCallFrames: first.callFrames,
      stoppedAt: await stopInstant(session),
      output: options.output,
      hmacKey,
      onProgress: options.progress,
      exact: options.exact,
    });
    reportWritten(result, where);
  } catch (error) {
    // A refusal (or any failure to write) loses nothing: the program goes on to its end, as under `ferry checkpoint`.
    // One that ran to its end while it was stepped on to an idle point: the session was closed for it.
    const why = finished ? PROGRAM_ENDED : error instanceof Error ? error.message : String(error);
    process.stderr.write(`ferry: ${why}\nferry: no checkpoint was written at ${where}; the program goes on\n`);
    await resumeTarget(session);
    return codeWithoutCheckpoint(await exited);
  }
  if (options.then === 'stop') {
    launched.child.kill('SIGKILL');
    await exited;
    return 0;
  }
  await resumeTarget(session);
  return exited;
}

/** On stderr (stdout is the program's): where the checkpoint was taken, and why there if not at `where`. */
function reportWritten(result: CheckpointResult, where: string): void {
  const { stack, nearestPoint, kind } = result.manifest;
  const taken = !nearestPoint ? where : kind === 'idle' ? 'its next idle point' : placeOfFrame(stack?.frames[0]);
  if (nearestPoint)
    process.stderr.write(
      `ferry: ${where} cannot be resumed where it is paused (${nearestPoint.reason}): the program was stepped on ${nearestPoint.steps} time(s) to ${taken}, the nearest point Ferry can resume (--exact refuses instead)\n`,
    );
  process.stderr.write(
    `ferry: checkpoint written: ${result.path} (${formatBytes(result.bytes)}, ${result.manifest.heap.objects} objects, ${stack?.frames.length ?? 0} frames, at ${taken})\n`,
  );
}

/** `file.js:12` for a frame of the manifest's stack. */
function placeOfFrame(frame: { url: string; line: number } | undefined): string {
  // A script without a URL (an eval, `new Function`: ejs's compiled templates) as refusals name it.
  return frame ? `${frame.url.replace(/^file:\/\//, '') || '<script>'}:${frame.line}` : 'the event loop';
}

/** The exit code of a run that wrote no checkpoint: the program's, but never success. */
function codeWithoutCheckpoint(programCode: number): number {
  return programCode === 0 ? 1 : programCode;
}

/** The wall-clock instant the program stopped at, as it noted it (Date.now() if it could not). */
async function stopInstant(session: TargetSession): Promise<number> {
  const { result } = await session.cdp.send('Runtime.evaluate', {
    expression: callInTarget(takeStopInstant, HITS_KEY),
    returnByValue: true,
    silent: true,
  });
  return typeof result.value === 'number' ? result.value : Date.now();
}
