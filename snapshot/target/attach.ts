// Finds the inspector of a running Node process, opening it with SIGUSR1 when it is closed.
import { connect } from 'node:net';
import { listTargets } from '../cdp/connection';
import { TargetClaim } from './claim';
import { guardInspectorOpening } from './inspector-guard';
import { DEFAULT_INSPECTOR_PORT, listeningPorts, nodeProcess } from './node-process';

export interface AttachedInspector {
  url: string;
  /**
   * Lets go of the program: closes the inspector we opened (close the sessions on it first, so
   * that the program is not left stopped in the debugger) and lets the next Ferry command in.
   */
  release(): Promise<void>;
}

/** An inspector the user named by address: it was open before us and stays open after. */
export function inspectorAt(url: string): AttachedInspector {
  return { url, release: async () => undefined };
}

/**
 * Finds or opens the inspector of `pid`, a Node process of this user that no other Ferry command
 * is working on (nothing is sent to it otherwise). An inspector we open is watched from inside the
 * program: it is closed when we let go, or when this process ends, however it ends.
 */
export async function attachToPid(pid: number, timeoutMs = 5000): Promise<AttachedInspector> {
  const node = nodeProcess(pid);
  const claim = TargetClaim.take(node);
  try {
    const found = await findInspectorUrl(pid, node.inspectorPorts);
    if (found) return { url: found, release: () => claim.release() };
    if (node.inspectorPorts.includes(0))
      throw new Error(
        `the inspector of process ${pid} listens on a port it chose itself (--inspect=0): attach with its port or ws:// URL instead`,
      );
    const guard = guardInspectorOpening(node); // until the watchdog is in, should this process die
    try {
      const url = await openWithSignal(pid, node.inspectorPorts, timeoutMs);
      await claim.watch(url); // SIGUSR1's inspector is on 127.0.0.1:9229, open to every local user
      return { url, release: () => claim.release() };
    } finally {
      guard.disarm();
    }
  } catch (error) {
    await claim.release();
    throw error;
  }
}

/**
 * Sends SIGUSR1 (Node opens its inspector on 127.0.0.1:9229, or fails if that port is busy) and
 * waits for the inspector: a port the process did not listen on before.
 */
async function openWithSignal(pid: number, inspectorPorts: number[], timeoutMs: number): Promise<string> {
  const before = new Set(listeningPorts(pid));
  // Another process may take the port between our look and the signal: then the target's
  // inspector fails to start, and we wait for the port and signal again.
  const deadline = Date.now() + timeoutMs * 3;
  for (;;) {
    while (await portAnswers(DEFAULT_INSPECTOR_PORT)) {
      if (Date.now() > deadline)
        throw new Error(
          `cannot open the inspector of process ${pid}: 127.0.0.1:${DEFAULT_INSPECTOR_PORT} is held by another process's inspector (SIGUSR1 can only use that port)`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
    try {
      process.kill(pid, 'SIGUSR1');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') throw new Error(`process ${pid} ended`);
      throw error;
    }
    try {
      return await waitForInspector(
        pid,
        inspectorPorts,
        Math.min(timeoutMs, Math.max(500, deadline - Date.now())),
        before,
      );
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls /proc often: until the watchdog is in, the inspector is open to every local user. */
async function waitForInspector(
  pid: number,
  inspectorPorts: number[],
  timeoutMs: number,
  known: Set<number>,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
    assertAlive(pid);
    const url = await findInspectorUrl(pid, inspectorPorts, known);
    if (url) return url;
  }
  throw new Error(
    `process ${pid} did not open an inspector after SIGUSR1 (is 127.0.0.1:9229 taken by another process?)`,
  );
}

function assertAlive(pid: number): void {
  try {
    process.kill(pid, 0);
  } catch {
    throw new Error(`process ${pid} ended`);
  }
}

/**
 * The inspector URL of `pid` on one of the ports its inspector can be on (not in `skip`), when the
 * process listens there. Only those are asked: the program's own servers never get a request.
 */
export async function findInspectorUrl(
  pid: number,
  inspectorPorts: number[],
  skip = new Set<number>(),
): Promise<string | undefined> {
  const ports = listeningPorts(pid).filter((port) => inspectorPorts.includes(port) && !skip.has(port));
  for (const port of ports) {
    try {
      const targets = await listTargets({ host: '127.0.0.1', port }, 1000);
      const target = targets.find((t) => t.webSocketDebuggerUrl);
      if (target) return target.webSocketDebuggerUrl;
    } catch {
      // not an inspector port
    }
  }
  return undefined;
}
