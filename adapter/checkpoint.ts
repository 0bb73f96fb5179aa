// `ferry/checkpoint` and `ferry/release`: a checkpoint of the debugged program through the core's
// writeCheckpoint, and what happens to the program afterwards.
//
//   ferry/checkpoint { at: 'idle' | 'here', output?, then? } -> CheckpointWritten
//     then: 'continue'  the program runs on;
//           'stop'      the program is ended once the file is written and verified, and its
//                       connections are with a holder (as `ferry checkpoint --then stop`);
//           'hold'      Ferry keeps it stopped (a clone waits for the remote side), until
//                       `ferry/release`;
//           'move'      as 'hold', and its connections go to a holder as under 'stop' (a
//                       migration: the resume on the host has the holder relay them there);
//           omitted     the program is left as it was (paused at a breakpoint stays paused).
//   ferry/release { then: 'continue' | 'stop' } -> {}  ends a hold; going on, a moved program
//                       keeps its own connections, and the holder's copies are released.
import { mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { resumeTarget, writeCheckpoint, writeCheckpointThen } from '../snapshot/checkpoint';
import { NoSafePointError } from '../snapshot/capture/nearest-point';
import { releaseConnections } from '../snapshot/restore/connections';
import type { ConnectionsRecord } from '../snapshot/format/connections';
import type { CustomRequestContext } from './custom-requests';
import { CancelledError } from './progress';

export interface CheckpointArguments {
  at: 'idle' | 'here';
  output?: string;
  then?: 'continue' | 'stop' | 'hold' | 'move';
}

export interface CheckpointWritten {
  path: string;
  bytes: number;
  /** Milliseconds the program was stopped for the checkpoint. */
  pauseMs: number;
  kind: 'idle' | 'here';
  program: string | null;
  objects: number;
  /** What became of the program: it runs, it is paused where it was, it was ended, or Ferry holds it. */
  programState: 'running' | 'paused' | 'stopped' | 'held';
}

/** Targets Ferry keeps stopped for a pending handover, by their connection; with what a holder has of their connections. */
const held = new WeakMap<object, ConnectionsRecord | undefined>();

export async function checkpoint(rawArgs: unknown, context: CustomRequestContext): Promise<CheckpointWritten> {
  const args = parseArguments(rawArgs);
  const output = args.output ?? defaultOutput(context);
  mkdirSync(dirname(output), { recursive: true });
  const userPaused = context.pausedCallFrames !== undefined;
  // An idle point is only reached by running: let a program paused at a breakpoint go on to it.
  if (args.at === 'idle' && userPaused) await context.continue();
  const session = { cdp: context.cdp, scripts: context.scripts };
  const progress = context.progress(args.at === 'here' ? 'Ferry: checkpoint here' : 'Ferry: checkpoint at idle');
  let result;
  try {
    const request = {
      at: args.at,
      output,
      pausedCallFrames: args.at === 'here' ? [...(context.pausedCallFrames ?? [])] : undefined,
      stoppedAt: context.pausedAt,
      exact: context.exact,
      onProgress: (step: string) => progress.update(step),
    };
    // Ended (now, or once moved), as under `ferry checkpoint --then stop`: its connections go to a holder, for the restore.
    const ended = args.then === 'stop' || args.then === 'move';
    const take = () => (ended ? writeCheckpointThen(session, 'stop', request) : writeCheckpoint(session, request));
    // Only a Checkpoint Here steps the program on (the nearest point); its steps are not the user's.
    result = args.at === 'here' ? await context.stepping(take) : await take();
  } catch (error) {
    // Capture stopped the target itself for an idle checkpoint; it must not stay stopped.
    if (args.at === 'idle') await resumeTarget(session);
    // Stepped on and found no point to take: the program is paused where the stepping stopped.
    if (error instanceof NoSafePointError) context.showStepped(error.message, true);
    throw error;
  } finally {
    progress.end();
  }
  if (progress.cancelled) {
    rmSync(output, { force: true });
    // The program goes on with its connections: the holder's copies of them go.
    const connections = result.manifest.handles.connections;
    if (connections?.holder) await releaseConnections(connections);
    if (args.at === 'idle') await resumeTarget(session);
    throw new CancelledError('checkpoint cancelled: the program goes on, nothing was kept');
  }
  // Taken at the nearest point Ferry could resume: the editor shows that line, or the program goes on from its idle point.
  const taken = { ...args, at: result.manifest.kind };
  const nearest = result.manifest.nearestPoint;
  if (nearest) {
    const where = taken.at === 'idle' ? 'its next idle point' : 'this line';
    const text = `Ferry: ${nearest.asked} cannot be resumed where it was paused (${nearest.reason}): the program was stepped on to ${where}, the nearest point Ferry can resume, and checkpointed there (setting exactCheckpoint refuses instead)`;
    context.log(text);
  }
  const state = await afterCheckpoint(taken, userPaused, context, result.manifest.handles.connections);
  // The client still shows the breakpoint: it moved on (and, past the program's code, runs again).
  if (nearest && userPaused && (state === 'paused' || (state === 'running' && taken.at === 'idle')))
    context.showStepped(nearest.reason, state === 'paused');
  context.log(
    `Ferry: checkpoint written to ${result.path} (${result.manifest.heap.objects} objects, program stopped ${result.pauseMs} ms)`,
  );
  return {
    path: result.path,
    bytes: result.bytes,
    pauseMs: result.pauseMs,
    kind: result.manifest.kind,
    program: result.manifest.program.main,
    objects: result.manifest.heap.objects,
    programState: state,
  };
}

async function afterCheckpoint(
  args: CheckpointArguments,
  userPaused: boolean,
  context: CustomRequestContext,
  connections: ConnectionsRecord | undefined,
): Promise<CheckpointWritten['programState']> {
  const session = { cdp: context.cdp, scripts: context.scripts };
  switch (args.then) {
    case 'stop':
      await context.stopProgram();
      return 'stopped';
    case 'hold':
    case 'move':
      held.set(context.cdp, connections);
      return 'held';
    case 'continue':
      if (args.at === 'here') await context.continue();
      else await resumeTarget(session);
      return 'running';
    default:
      if (args.at === 'idle') await resumeTarget(session);
      return args.at === 'here' && userPaused ? 'paused' : 'running';
  }
}

export async function release(rawArgs: unknown, context: CustomRequestContext): Promise<Record<string, never>> {
  const then = (rawArgs as { then?: unknown } | undefined)?.then;
  if (then !== 'continue' && then !== 'stop') throw new Error('ferry/release takes { then: "continue" | "stop" }');
  if (!held.has(context.cdp)) throw new Error('Ferry holds no checkpointed program in this session');
  const connections = held.get(context.cdp);
  held.delete(context.cdp);
  if (then === 'stop') {
    await context.stopProgram();
    return {};
  }
  try {
    // Going on with its own connections: the holder's copies go (a relay not started yet ends with them).
    if (connections?.holder) await releaseConnections(connections);
  } finally {
    await resumeTarget({ cdp: context.cdp, scripts: context.scripts });
  }
  return {};
}

function parseArguments(raw: unknown): CheckpointArguments {
  const args = (raw ?? {}) as Record<string, unknown>;
  if (args.at !== 'idle' && args.at !== 'here') throw new Error('ferry/checkpoint needs "at": "idle" or "here"');
  if (args.output !== undefined && typeof args.output !== 'string') throw new Error('"output" must be a file path');
  if (args.then !== undefined && !['continue', 'stop', 'hold', 'move'].includes(args.then as string))
    throw new Error('"then" takes "continue", "stop", "hold" or "move"');
  return args as unknown as CheckpointArguments;
}

/** `<checkpoint directory>/<program>-<time>.ferry`: sortable, and unique per second. */
function defaultOutput(context: CustomRequestContext): string {
  const stamp = new Date()
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d{3}Z$/, 'Z');
  const program = context.programName ? basename(context.programName).replace(/\.[cm]?[jt]s$/, '') : 'program';
  return join(context.checkpointDirectory, `${program}-${stamp}.ferry`);
}
