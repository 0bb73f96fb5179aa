// The nearest safe point: a Checkpoint Here that cannot be taken where the program is paused (a
// caller that evaluated part of its statement before the pending call, a callback whose caller in
// Node goes on in a way Ferry cannot play, a frame holding a connection) steps the program on with
// the debugger, one step at a time, to the nearest point where it can, and is taken there. Which
// step follows from what was refused: a frame under the innermost returns (step out), the
// innermost finishes its statement (step over) or returns, code of Node's goes on to the program's
// next statement (step into).
import type { Protocol } from 'devtools-protocol';
import type { CdpConnection } from '../cdp/connection';
import { FerryError } from '../errors';

type CallFrame = Protocol.Debugger.CallFrame;

export type StepAction = 'over' | 'out' | 'into';

/**
 * Where a refusal points: the user frame it refuses (innermost 0) and the step that leaves it behind;
 * `stay` when no step may be taken (the refusal says why, and the program goes on from where it is).
 */
export type RefusedAt = { frame: number; action: 'over' | 'out' } | { frame: number; action: 'stay' };

/** How long one step may take to pause again: past it, the program is not coming back to its code. */
const STEP_TIMEOUT_MS = 10_000;
/** Steps taken at most before giving up: the nearest point is near, or there is none. */
export const MAX_STEPS = 200;
/** Of those, the ones whose refusal came from a walk of the heap (each takes a heap snapshot). */
export const MAX_WALKS = 8;

/** Paths of refusals that say where the program is rather than what it holds. */
const POSITION = /^(?:the paused stack|a suspended function|microtask queue|process\.nextTick queue)(?: ›|$)/;

/**
 * Where the refusals of a walk point, when every one is about the place the program is paused at
 * (what a paused frame holds, what is queued behind it): stepping on can leave them behind.
 * Frames past `depth` are suspended ones, not on the stack.
 */
export function refusedPosition(refusals: Array<{ path: string }>, depth: number): RefusedAt | undefined {
  let frame = 0;
  for (const { path } of refusals) {
    const held = /^frame #(\d+)(?: ›|$)/.exec(path);
    if (held) frame = Math.max(frame, Number(held[1]) < depth ? Number(held[1]) : 0);
    else if (!POSITION.test(path)) return undefined;
  }
  return { frame, action: 'out' };
}

/** The step that leaves a refusal behind, given the stack it refused (innermost first). */
export function stepFor(
  at: Exclude<RefusedAt, { action: 'stay' }>,
  frames: readonly CallFrame[],
  isUser: (f: CallFrame) => boolean,
): StepAction {
  return inNodesCode(frames, isUser) ?? (at.frame > 0 ? 'out' : at.action);
}

/**
 * Paused in Node's own code: the way back to the program's. Out of Node's frames, when one of the
 * program's is under them; else into what Node calls next, statement by statement (stepping out
 * would run the program's callbacks Node calls on the way without stopping in them).
 */
export function inNodesCode(frames: readonly CallFrame[], isUser: (f: CallFrame) => boolean): StepAction | undefined {
  if (frames.length === 0 || isUser(frames[0])) return undefined;
  return frames.some(isUser) ? 'out' : 'into';
}

/**
 * Takes one step and waits for the program to pause again: its new stack. `guarded`: frames under
 * the innermost where the program must pause if the step does not (V8 loses a step that leaves a
 * `finally` block through the return or throw that entered it): a breakpoint at every place their
 * functions can pause, removed once the program pauses.
 */
export async function stepProgram(
  cdp: CdpConnection,
  action: StepAction,
  guarded: readonly CallFrame[] = [],
): Promise<CallFrame[]> {
  const guards: string[] = [];
  let offs: Array<() => void> = [];
  try {
    await guardFunctions(cdp, guarded, guards);
    const next = new Promise<CallFrame[] | string>((resolve) => {
      const timer = setTimeout(
        () => resolve(`the program did not come back to its code within ${STEP_TIMEOUT_MS / 1000} s of a step`),
        STEP_TIMEOUT_MS,
      );
      offs = [
        cdp.on('Debugger.paused', (event) => resolve(event.callFrames)),
        cdp.on('Runtime.executionContextDestroyed', () => resolve('the program ended while it was stepped on')),
        () => clearTimeout(timer),
      ];
    });
    const method =
      action === 'over' ? 'Debugger.stepOver' : action === 'out' ? 'Debugger.stepOut' : 'Debugger.stepInto';
    await cdp.send(method, {});
    const frames = await next;
    if (typeof frames === 'string') throw new NoSafePointError(frames);
    return frames;
  } finally {
    for (const off of offs) off();
    await removeGuards(cdp, guards);
  }
}

/** The most breakpoints one guarded step sets: past it, a function too big to guard is left out. */
const MAX_GUARDS = 5000;

/**
 * A breakpoint at each place the frames' functions can pause (once per function), their ids added
 * to `ids` as they are set (removed by the caller, whatever happens on the way).
 */
async function guardFunctions(cdp: CdpConnection, frames: readonly CallFrame[], ids: string[]): Promise<void> {
  const seen = new Set<string>();
  for (const { functionLocation: start } of frames) {
    const key = start && `${start.scriptId}:${start.lineNumber}:${start.columnNumber}`;
    if (!key || seen.has(key)) continue;
    seen.add(key);
    const { locations } = await cdp.send('Debugger.getPossibleBreakpoints', {
      start: start!,
      restrictToFunction: true,
    });
    if (ids.length + locations.length > MAX_GUARDS) continue;
    for (const { scriptId, lineNumber, columnNumber } of locations) {
      const set = await cdp
        .send('Debugger.setBreakpoint', { location: { scriptId, lineNumber, columnNumber } })
        .catch(() => undefined); // a place that has a breakpoint already pauses anyway
      if (set) ids.push(set.breakpointId);
    }
  }
}

async function removeGuards(cdp: CdpConnection, ids: readonly string[]): Promise<void> {
  if (cdp.isClosed) return;
  for (const breakpointId of ids) await cdp.send('Debugger.removeBreakpoint', { breakpointId }).catch(() => undefined);
}

export class NoSafePointError extends FerryError {
  readonly kind = 'refused';
}

/** `job.js:42` for the innermost frame of a stack. */
export function placeOf(frames: readonly CallFrame[], urlOf: (f: CallFrame) => string): string {
  const top = frames[0];
  if (!top) return 'the event loop';
  const file = urlOf(top).replace(/^file:\/\//, '') || '<script>';
  return `${top.functionName || '(anonymous)'} at ${file}:${top.location.lineNumber + 1}`;
}
