// Stopping a target at an idle point: the next event-loop turn, when no user frame is on the stack.
// A macrotask of ours hits `debugger;`, so the target stays stopped for as long as capture needs.
import { isContextGone, type CdpConnection } from '../cdp/connection';
import type { Protocol } from 'devtools-protocol';
import { callInTarget } from '../cdp/in-target';
import type { ScriptTable } from './target-session';
import { FerryError } from '../errors';
import type { ProgramValue } from '../heap/program-value';
import { socketVerdict, type SocketVerdict } from './agent/sockets';

const IDLE_FUNCTION = '__ferryIdlePoint';

/**
 * Our macrotask, run in the target (serialised). Programs may cooperate: `ferry:checkpoint`
 * listeners run right before the stop (to close what cannot be carried, synchronously), and
 * `ferry:continue` ones when the program goes on here after the checkpoint (it does not when it was
 * stopped or handed over). A listener that throws aborts the checkpoint: the error is left in
 * `listenerError` for the controller, and `pausedAt` tells it when the program stopped.
 */
function scheduleIdlePoint(): void {
  setImmediate(function __ferryIdlePoint() {
    const events = process as NodeJS.EventEmitter; // Ferry's own events are not in Process's typed list
    let listenerError: string | undefined;
    try {
      events.emit('ferry:checkpoint');
    } catch (error) {
      listenerError = String((error as Error)?.stack ?? error);
    }
    const pausedAt = performance.now();
    // eslint-disable-next-line no-debugger -- the idle point itself: Ferry's controller pauses the program here
    debugger;
    void pausedAt; // read from the paused frame by the controller
    if (!listenerError) events.emit('ferry:continue');
  });
}
const IDLE_POINT = callInTarget(scheduleIdlePoint);

export class TargetBusyError extends FerryError {
  readonly kind = 'target';
}

/** A time the program was held stopped on its way to the idle point (performance.now() in it). */
export interface EarlierStop {
  from: number;
  to: number;
}

/** The idle point reached, and the times the program was held stopped before it (they do not count for its timers). */
export interface IdleStop {
  frame: string;
  earlierStops: EarlierStop[];
  /** When the program stopped there (performance.now() here, as its pause was reported). */
  stoppedAt: number;
}

const TARGET_NOW = 'performance.now()';

async function targetNow(cdp: CdpConnection): Promise<number> {
  const { result } = await cdp.send('Runtime.evaluate', { expression: TARGET_NOW, returnByValue: true, silent: true });
  return result.value as number;
}

/**
 * When a stop began, in the target's clock: at `stoppedAt` (epoch ms here) when the caller knows
 * it, else now. The target read its clock halfway through the round trip, as near as can be told.
 */
async function stopStart(cdp: CdpConnection, stoppedAt?: number): Promise<number> {
  const sent = Date.now();
  const now = await targetNow(cdp);
  return stoppedAt === undefined ? now : now - Math.max(0, (sent + Date.now()) / 2 - stoppedAt);
}

/**
 * Lets the target go on, and says when (its performance.now()): read in the same breath, the two
 * messages sent together so that nothing runs between them.
 */
async function resumeAt(cdp: CdpConnection): Promise<number> {
  const [now] = await Promise.all([targetNow(cdp), cdp.send('Debugger.resume', {})]);
  return now;
}

/**
 * Resolves with the idle frame's id once the target is stopped there. The frame holds `pausedAt`
 * (performance.now() at the stop), so that timers' remaining times are measured from the instant
 * the program stopped, not from when the agent got to them.
 */
export async function stopAtIdle(
  cdp: CdpConnection,
  timeoutMs: number,
  scripts: ScriptTable,
  fromPause = false,
  earlierStops: EarlierStop[] = [],
  stoppedAt?: number,
): Promise<{ frame: string; stoppedAt: number }> {
  await cdp.send('Debugger.setBreakpointsActive', { active: true });
  const paused = cdp.once('Debugger.paused', (event) => event.callFrames[0]?.functionName === IDLE_FUNCTION);
  const end = watchForEnd(cdp);
  let timer: NodeJS.Timeout | undefined;
  try {
    // Stopped somewhere else (a breakpoint, a pause): go on to the idle point just scheduled. The
    // stop does not count for the timers armed before it; those armed after it in this turn were not held.
    const from = fromPause ? await stopStart(cdp, stoppedAt) : 0;
    await cdp.send('Runtime.evaluate', { expression: IDLE_POINT, silent: true });
    if (fromPause) earlierStops.push({ from, to: await resumeAt(cdp) });
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome = await Promise.race([paused, timeout, end.ended]);
    if (outcome === 'ended') throw new ProgramEndedError(PROGRAM_ENDED);
    if (outcome !== 'timeout') return { frame: outcome.callFrames[0].callFrameId, stoppedAt: performance.now() };
    // Still running synchronous code: find out where, then let it go on.
    const where = cdp.once('Debugger.paused');
    await cdp.send('Debugger.pause');
    const event = await Promise.race([where, end.ended]);
    if (event === 'ended') throw new ProgramEndedError(PROGRAM_ENDED);
    throw await busyError(cdp, event, scripts, timeoutMs);
  } finally {
    clearTimeout(timer);
    end.off();
  }
}

/** Lets a program found busy go on, and says where it was. */
async function busyError(
  cdp: CdpConnection,
  event: Protocol.Debugger.PausedEvent,
  scripts: ScriptTable,
  timeoutMs: number,
): Promise<TargetBusyError> {
  const frame = event.callFrames[0];
  await cdp.send('Debugger.resume', {});
  const url = frame ? scripts.get(frame.location.scriptId)?.url || frame.url : '';
  const location = frame
    ? `${frame.functionName || '(anonymous)'} at ${url}:${frame.location.lineNumber + 1}:${(frame.location.columnNumber ?? 0) + 1}`
    : 'an unknown location';
  return new TargetBusyError(
    `the program did not reach an idle point within ${timeoutMs} ms: it is busy in synchronous code in ${location}. Try again later, or checkpoint it paused at a breakpoint (--at here).`,
  );
}

class ProgramEndedError extends FerryError {
  readonly kind = 'target';
}

export const PROGRAM_ENDED = 'the program ended while it was being checkpointed: nothing was written';

/**
 * Resolves once the program's own context is gone: it ended, and Node keeps the process only until
 * the debugger lets go (no pause will come). A context the program made (vm) may go too: each one
 * that goes is checked by evaluating in the program's.
 */
function watchForEnd(cdp: CdpConnection): { ended: Promise<'ended'>; off: () => void } {
  let off: () => void = () => undefined;
  const ended = new Promise<'ended'>((resolve) => {
    off = cdp.on('Runtime.executionContextDestroyed', () => {
      cdp.send('Runtime.evaluate', { expression: '0', silent: true }).then(
        () => undefined,
        (error: unknown) => isContextGone(error) && resolve('ended'),
      );
    });
  });
  return { ended, off };
}

/** True when a pause is ours (the idle point), not the program's own `debugger;` or a breakpoint. */
export function isIdlePause(callFrames: Array<{ functionName: string }>): boolean {
  return callFrames[0]?.functionName === IDLE_FUNCTION;
}

interface InFlight {
  wait: string[];
  refuse: string[];
}

/**
 * What the program has in flight at the idle point, run in the target (serialised, with the
 * functions it is given). A connection being answered or a file being read cannot be carried: wait
 * for it to finish (`wait`), or refuse what never will (`refuse`). A checkpoint that carries
 * connections (`carry`) waits only for those `verdictOf` (capture/agent/sockets.ts) says are under
 * way. One that does not (a migration's) closes idle keep-alive connections, as HTTP lets either end
 * do between requests, and waits for every other. fetch()'s and HTTP agents' idle connections are
 * closed either way: their clients keep state in Node's own closures, and open new ones at their
 * next request.
 */
function inFlightAtIdlePoint(
  carry: boolean,
  verdictOf: (socket: unknown) => SocketVerdict,
  closeFetchConnections: typeof closeIdleFetchConnections,
  closeServerConnections: typeof closeIdleServerConnections,
  classify: typeof classifyHandle,
): InFlight {
  const internals = process as unknown as { moduleLoadList: string[]; _getActiveRequests(): ProgramValue[] };
  const net = internals.moduleLoadList.includes('NativeModule net') ? process.getBuiltinModule('net') : undefined;
  const wait: string[] = [];
  const refuse: string[] = [];
  closeFetchConnections();
  if (!carry && net) closeServerConnections(net);
  for (const request of internals._getActiveRequests())
    wait.push(`a pending ${request?.constructor?.name || 'request'}`);
  for (const handle of (process as ProgramValue)._getActiveHandles()) {
    const verdict = classify(handle, net, carry ? verdictOf : undefined);
    if ('wait' in verdict) wait.push(verdict.wait);
    else if ('refuse' in verdict) refuse.push(verdict.refuse);
  }
  return { wait, refuse };
}

/**
 * fetch()'s idle sockets are closed from this end (undici reconnects at the next request). Its pools
 * are reached from the global dispatcher through its own symbols (Agent → Pool → Client → socket),
 * found by description since undici does not export them. Runs in the target.
 */
function closeIdleFetchConnections(): void {
  // `undici.globalDispatcher.1` in Node 20 and 22, `.2` in Node 24.
  const dispatcherKey = Object.getOwnPropertySymbols(globalThis).find((s) =>
    /^undici\.globalDispatcher\.\d+$/.test(Symbol.keyFor(s) ?? ''),
  );
  const agent = dispatcherKey && (globalThis as ProgramValue)[dispatcherKey];
  if (!agent) return;
  const own = (object: ProgramValue, name: string): ProgramValue => {
    for (let p = object; p; p = Object.getPrototypeOf(p)) {
      const key = Object.getOwnPropertySymbols(p).find((s) => s.description === name);
      if (key) return object[key];
    }
  };
  for (const entry of (own(agent, 'clients') || new Map()).values()) {
    const pool = entry && typeof entry.deref === 'function' ? entry.deref() : entry;
    for (const client of (pool && own(pool, 'clients')) || [pool]) {
      const socket = client && own(client, 'socket');
      if (socket && !socket.destroyed && own(client, 'running') === 0 && own(client, 'pending') === 0) socket.destroy();
    }
  }
}

/**
 * A server's idle keep-alive connections are closed (the agents' and fetch's idle sockets were closed
 * from this end just before). Not while one of the program's own requests is on its way to that
 * server: the connection it travels on looks idle to the server until the request arrives, and
 * closing it would hang it up. Runs in the target.
 */
function closeIdleServerConnections(net: typeof import('node:net')): void {
  const handles: ProgramValue[] = (process as ProgramValue)._getActiveHandles();
  // A client socket of the program's (http's or fetch's, not one a server accepted) still open to that server's port.
  const requestsTo = (server: ProgramValue) =>
    handles.some(
      (h) =>
        h instanceof net.Socket &&
        !(h as ProgramValue).server &&
        !h.destroyed &&
        h.remotePort === server.address().port,
    );
  for (const handle of handles) {
    if (
      handle instanceof net.Server &&
      handle.listening &&
      typeof (handle as ProgramValue).closeIdleConnections === 'function' &&
      !requestsTo(handle)
    )
      (handle as ProgramValue).closeIdleConnections();
  }
}

/**
 * Whether an active handle lets the checkpoint go on, is waited for, or is refused. Sockets are
 * judged by `verdictOf` when connections are carried, and otherwise waited for while open (a socket
 * closed just now, an idle one above, is gone by the next turn). Runs in the target.
 */
function classifyHandle(
  handle: ProgramValue,
  net: typeof import('node:net') | undefined,
  verdictOf: ((socket: unknown) => SocketVerdict) | undefined,
): SocketVerdict | Record<string, never> {
  if (handle === process.stdout || handle === process.stderr || handle === process.stdin) return {};
  if (net && handle instanceof net.Server && handle.listening) return {};
  const name: string = handle?.constructor?.name || 'handle';
  if (name === 'ChildProcess')
    return { refuse: `a child process (pid ${handle.pid}): child processes cannot move with the program` };
  if (name === 'Worker') return { refuse: 'a worker thread: worker threads cannot be carried' };
  // A port listened to stays open until closed: waiting for it is waiting for nothing.
  if (name === 'MessagePort')
    return {
      refuse:
        "a MessagePort (a worker thread's or a MessageChannel's): worker threads and message channels cannot be carried",
    };
  if (name === 'FSWatcher' || name === 'StatWatcher')
    return { refuse: 'a file watcher (fs.watch/fs.watchFile): not carried yet' };
  if (!net || !(handle instanceof net.Socket)) return { wait: `a ${name}` };
  if (verdictOf) return verdictOf(handle);
  if (handle.destroyed) return {};
  return {
    wait: `an open connection${handle.remoteAddress ? ` to ${handle.remoteAddress}:${handle.remotePort}` : ''}`,
  };
}

export class InFlightRefusedError extends FerryError {
  readonly kind = 'refused';
}

const AGENTS_GROUP = 'ferry-idle-agents';

/**
 * Runs in the target: the prototypes of what the idle checks look for on the heap, null when not
 * loaded (asking loads nothing): http's Agent.prototype, zlib's engine base class (ZlibBase.prototype,
 * under Deflate's and Brotli's), and the one prototype a single query finds both under.
 */
function idleHeapPrototypes(): { query: object | null; agent: object | null; zlib: object | null } {
  const loaded = (process as unknown as { moduleLoadList: string[] }).moduleLoadList;
  const agent = loaded.includes('NativeModule _http_agent') ? process.getBuiltinModule('http').Agent.prototype : null;
  const zlib = loaded.includes('NativeModule zlib')
    ? (Object.getPrototypeOf(Object.getPrototypeOf(process.getBuiltinModule('zlib').Deflate.prototype)) as object)
    : null;
  const query = agent && zlib ? process.getBuiltinModule('events').EventEmitter.prototype : (agent ?? zlib);
  return { query, agent, zlib };
}

/** Runs in the target, on what a heap query found: those under `prototype`. */
function instancesOf(this: object[], prototype: object): object[] {
  return this.filter((object) => Object.prototype.isPrototypeOf.call(prototype, object));
}

/** What the idle checks found on the heap at the first stop. */
interface HeapFindings {
  /** The program's HTTP agents (their pools hold the idle keep-alive connections): an array's object id, in AGENTS_GROUP. */
  agents?: string;
  zlibWaits: string[];
}

/**
 * The program's HTTP agents and zlib's writes in flight, found by one heap query for both: each
 * query collects all garbage first (130–180 ms for express-app.js on a loaded machine), and a web
 * program has both.
 */
async function findOnHeap(cdp: CdpConnection, callFrameId: string): Promise<HeapFindings> {
  const { query, agent, zlib } = await idlePrototypes(cdp, callFrameId, AGENTS_GROUP);
  if (!query) return { zlibWaits: [] };
  const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: query, objectGroup: AGENTS_GROUP });
  // Without zlib the query was for the agents alone: what it found is them.
  const agents = agent && zlib ? await among(cdp, objects.objectId!, agent) : agent && objects.objectId;
  return {
    agents,
    zlibWaits: zlib ? await zlibWaits(cdp, objects.objectId!, zlib) : [],
  };
}

/** idleHeapPrototypes' answer as object ids in `objectGroup` (none for a kind not loaded). */
async function idlePrototypes(
  cdp: CdpConnection,
  callFrameId: string,
  objectGroup: string,
): Promise<Partial<Record<'query' | 'agent' | 'zlib', string>>> {
  const { result } = await cdp.send('Debugger.evaluateOnCallFrame', {
    callFrameId,
    objectGroup,
    silent: true,
    expression: callInTarget(idleHeapPrototypes),
  });
  const { result: parts } = await cdp.send('Runtime.getProperties', {
    objectId: result.objectId!,
    ownProperties: true,
  });
  return Object.fromEntries(parts.filter((p) => p.value?.objectId).map((p) => [p.name, p.value!.objectId!]));
}

/** Those under `prototype` among what a heap query found: an array's object id, in AGENTS_GROUP. */
async function among(cdp: CdpConnection, found: string, prototype: string): Promise<string | undefined> {
  const { result } = await cdp.send('Runtime.callFunctionOn', {
    objectId: found,
    objectGroup: AGENTS_GROUP,
    silent: true,
    functionDeclaration: instancesOf.toString(),
    arguments: [{ objectId: prototype }],
  });
  return result.objectId;
}

/**
 * Closes the agents' free sockets, from this end: the next request opens a new one. Closed by the
 * server's end instead (when the server is the program's own), a socket could be handed to a request
 * before its end is read (after a long stop, due timers run before I/O) and that request would hang
 * up. Free sockets are unreferenced, so process._getActiveHandles() does not list them. Each one's
 * 'close' is emitted at once (and not again when its handle is closed): its agent forgets it now, in
 * this turn, as it would in a later one, where the program may have freed another (a program's own
 * agent is carried, and a socket it still listed could not be).
 */
function destroyFreeSockets(this: Array<{ freeSockets?: Record<string, FreeSocket[]> }>): void {
  for (const agent of this)
    for (const sockets of Object.values(agent.freeSockets ?? {}))
      for (const socket of [...sockets]) {
        socket.destroy();
        socket.emit('close', false);
        socket.removeAllListeners('close');
      }
}

interface FreeSocket {
  destroy(): void;
  emit(event: 'close', hadError: boolean): void;
  removeAllListeners(event: 'close'): void;
}

async function closeFreeSockets(cdp: CdpConnection, agents: string): Promise<void> {
  await cdp.send('Runtime.callFunctionOn', {
    objectId: agents,
    silent: true,
    functionDeclaration: destroyFreeSockets.toString(),
  });
}

const ZLIB_GROUP = 'ferry-idle-zlib';

/** How many engines are in the middle of a write: the handle holds the chunk until its callback ran. Runs in the target. */
function zlibWritesInFlight(this: Array<{ _handle?: { buffer?: unknown } | null }>, enginePrototype: object): number {
  return this.filter(
    (engine) => Object.prototype.isPrototypeOf.call(enginePrototype, engine) && engine._handle?.buffer != null,
  ).length;
}

/** zlib's writes in flight among what a heap query found. */
async function zlibWaits(cdp: CdpConnection, found: string, enginePrototype: string): Promise<string[]> {
  const { result: count } = await cdp.send('Runtime.callFunctionOn', {
    objectId: found,
    silent: true,
    returnByValue: true,
    functionDeclaration: zlibWritesInFlight.toString(),
    arguments: [{ objectId: enginePrototype }],
  });
  return count.value > 0 ? [`${count.value} zlib operation(s)`] : [];
}

/**
 * zlib work under way (`zlib.deflate(buffer, cb)`, a compression stream's write) runs on the thread
 * pool, and Node lists it among neither its active handles nor its requests: its callback, held only
 * by the native side, would be lost. Found on the heap (a heap query), at every stop since a call
 * makes a new engine; the first stop's query finds it with the HTTP agents (findOnHeap).
 */
async function zlibWorkInFlight(cdp: CdpConnection, callFrameId: string): Promise<string[]> {
  try {
    const { zlib } = await idlePrototypes(cdp, callFrameId, ZLIB_GROUP);
    if (!zlib) return [];
    const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: zlib, objectGroup: ZLIB_GROUP });
    return await zlibWaits(cdp, objects.objectId!, zlib);
  } finally {
    await cdp.send('Runtime.releaseObjectGroup', { objectGroup: ZLIB_GROUP }).catch(() => undefined);
  }
}

/**
 * The requests the program has in flight (a file system call, a DNS lookup), run in the target.
 * The one whose callback is running is listed until it returns: it is not in flight any more.
 */
function activeRequestNames(): string[] {
  const internals = process as unknown as { _getActiveRequests(): ProgramValue[] };
  const running = process.getBuiltinModule('async_hooks').executionAsyncResource();
  return internals
    ._getActiveRequests()
    .filter((request) => request !== running)
    .map((request) => request?.constructor?.name || 'request');
}
const ACTIVE_REQUESTS = callInTarget(activeRequestNames);

/**
 * At a breakpoint, the requests in flight: their callbacks come on a later turn of the event loop,
 * which a restored program would never get (its idle points wait for them instead).
 */
export async function requestsInFlight(cdp: CdpConnection): Promise<string[]> {
  const { result } = await cdp.send('Runtime.evaluate', {
    expression: ACTIVE_REQUESTS,
    returnByValue: true,
    silent: true,
  });
  return (result.value as string[] | undefined) ?? [];
}

/**
 * Stops at an idle point with nothing in flight: at each idle point where a connection or a
 * request is still open, lets the program go on and tries the next one, until the time is up.
 */
export async function stopAtQuietIdle(
  cdp: CdpConnection,
  timeoutMs: number,
  scripts: ScriptTable,
  fromPause: boolean,
  stoppedAt?: number,
  carryConnections = false,
): Promise<IdleStop> {
  const inFlight = callInTarget(
    inFlightAtIdlePoint,
    carryConnections,
    socketVerdict,
    closeIdleFetchConnections,
    closeIdleServerConnections,
    classifyHandle,
  );
  const deadline = Date.now() + timeoutMs;
  const earlierStops: EarlierStop[] = [];
  let stop = await stopAtIdle(cdp, timeoutMs, scripts, fromPause, earlierStops, stoppedAt);
  const firstFound = await findOnHeap(cdp, stop.frame);
  const { agents } = firstFound;
  try {
    for (let attempt = 0; ; attempt++) {
      if (agents) await closeFreeSockets(cdp, agents);
      const { result } = await cdp.send('Debugger.evaluateOnCallFrame', {
        callFrameId: stop.frame,
        expression: inFlight,
        returnByValue: true,
        silent: true,
      });
      const { refuse } = result.value as InFlight;
      const zlib = attempt === 0 ? firstFound.zlibWaits : await zlibWorkInFlight(cdp, stop.frame);
      const wait = [...(result.value as InFlight).wait, ...zlib];
      if (refuse.length > 0) {
        await cdp.send('Debugger.resume', {});
        throw new InFlightRefusedError(`cannot checkpoint this program:\n${refuse.map((r) => `  - ${r}`).join('\n')}`);
      }
      if (wait.length === 0) return { ...stop, earlierStops };
      const { result: stoppedAt } = await cdp.send('Debugger.evaluateOnCallFrame', {
        callFrameId: stop.frame,
        expression: 'pausedAt',
        returnByValue: true,
        silent: true,
      });
      earlierStops.push({ from: stoppedAt.value as number, to: await resumeAt(cdp) });
      if (Date.now() > deadline) {
        throw new TargetBusyError(
          `the program did not reach a quiet idle point within ${timeoutMs} ms: it still has ${[...new Set(wait)].join(', ')} in flight. Try again when it is done, or close it on 'ferry:checkpoint'.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
      stop = await stopAtIdle(cdp, Math.max(100, deadline - Date.now()), scripts, false, earlierStops);
    }
  } finally {
    if (agents) await cdp.send('Runtime.releaseObjectGroup', { objectGroup: AGENTS_GROUP }).catch(() => undefined);
  }
}
