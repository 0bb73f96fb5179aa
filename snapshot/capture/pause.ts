// Stopping a target at an idle point: the next event-loop turn, when no user frame is on the stack.
// A macrotask of ours hits `debugger;`, so the target stays stopped for as long as capture needs.
import type { CdpConnection } from '../cdp/connection';
import type { ScriptTable } from './target-session';

const IDLE_FUNCTION = '__ferryIdlePoint';

export class TargetBusyError extends Error {}

/**
 * Resolves with the idle frame's id once the target is stopped there. The frame holds `pausedAt`
 * (performance.now() at the stop), so that timers' remaining times are measured from the instant
 * the program stopped, not from when the agent got to them.
 */
export async function stopAtIdle(cdp: CdpConnection, timeoutMs: number, scripts: ScriptTable, fromPause = false): Promise<string> {
  await cdp.send('Debugger.setBreakpointsActive', { active: true });
  const paused = cdp.once('Debugger.paused', (event) => event.callFrames[0]?.functionName === IDLE_FUNCTION);
  await cdp.send('Runtime.evaluate', { expression: `setImmediate(function ${IDLE_FUNCTION}() { const pausedAt = performance.now(); debugger; })`, silent: true });
  // Stopped somewhere else (a breakpoint, a pause): go on to the idle point just scheduled.
  if (fromPause) await cdp.send('Debugger.resume', {});
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const outcome = await Promise.race([paused, timeout]);
  clearTimeout(timer);
  if (outcome !== 'timeout') return outcome.callFrames[0].callFrameId;
  // Still running synchronous code: find out where, then let it go on.
  const where = cdp.once('Debugger.paused');
  await cdp.send('Debugger.pause');
  const event = await where;
  const frame = event.callFrames[0];
  await cdp.send('Debugger.resume', {});
  const url = frame ? scripts.get(frame.location.scriptId)?.url || frame.url : '';
  const location = frame ? `${frame.functionName || '(anonymous)'} at ${url}:${frame.location.lineNumber + 1}:${(frame.location.columnNumber ?? 0) + 1}` : 'an unknown location';
  throw new TargetBusyError(`the program did not reach an idle point within ${timeoutMs} ms: it is busy in synchronous code in ${location}. Try again later, or checkpoint it paused at a breakpoint (--at here).`);
}

/** True when a pause is ours (the idle point), not the program's own `debugger;` or a breakpoint. */
export function isIdlePause(callFrames: Array<{ functionName: string }>): boolean {
  return callFrames[0]?.functionName === IDLE_FUNCTION;
}
