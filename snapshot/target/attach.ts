// Finds the inspector of a running Node process, opening it with SIGUSR1 when it is closed.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { listTargets } from '../cdp/connection';

/** Returns the ws:// URL of the inspector of process `pid`. */
export async function inspectorUrlForPid(pid: number, timeoutMs = 5000): Promise<string> {
  return (await attachToPid(pid, timeoutMs)).url;
}

/**
 * Finds or opens the inspector of `pid`. `openedBySignal` says we opened it, so the caller closes
 * it again when done: SIGUSR1 always uses 127.0.0.1:9229, which only one process can hold.
 */
export async function attachToPid(pid: number, timeoutMs = 5000): Promise<{ url: string; openedBySignal: boolean }> {
  assertAlive(pid);
  let url = await findInspectorUrl(pid);
  if (url) return { url, openedBySignal: false };
  // The inspector SIGUSR1 opens is a port the process did not listen on before: only those are
  // probed from here on, so that the program's own servers get no more requests.
  const before = new Set(listeningPorts(pid));
  // Another process may take the port between our look and the signal: then the target's
  // inspector fails to start, and we wait for the port and signal again.
  const deadline = Date.now() + timeoutMs * 3;
  for (;;) {
    while (await portAnswers(DEFAULT_INSPECTOR_PORT)) {
      if (Date.now() > deadline) throw new Error(`cannot open the inspector of process ${pid}: 127.0.0.1:${DEFAULT_INSPECTOR_PORT} is held by another process's inspector (SIGUSR1 can only use that port)`);
      await new Promise((r) => setTimeout(r, 100));
    }
    process.kill(pid, 'SIGUSR1'); // Node opens its inspector on 127.0.0.1:9229, or fails if that port is busy
    try {
      url = await waitForInspector(pid, Math.min(timeoutMs, Math.max(500, deadline - Date.now())), before);
      return { url, openedBySignal: true };
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}

const DEFAULT_INSPECTOR_PORT = 9229;

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

async function waitForInspector(pid: number, timeoutMs: number, known: Set<number>): Promise<string> {
  let url: string | undefined;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    assertAlive(pid);
    url = await findInspectorUrl(pid, known);
    if (url) return url;
  }
  throw new Error(`process ${pid} did not open an inspector after SIGUSR1 (is it a Node process? is 127.0.0.1:9229 taken by another process?)`);
}

function assertAlive(pid: number): void {
  try {
    process.kill(pid, 0);
  } catch {
    throw new Error(`no process with pid ${pid}`);
  }
}

/**
 * The inspector URL of a listening port owned by `pid` (not in `skip`) whose /json/list names that
 * process. 9229, where inspectors usually are, is asked first.
 */
async function findInspectorUrl(pid: number, skip = new Set<number>()): Promise<string | undefined> {
  const ports = listeningPorts(pid).filter((port) => !skip.has(port));
  for (const port of ports.sort((a, b) => Number(b === DEFAULT_INSPECTOR_PORT) - Number(a === DEFAULT_INSPECTOR_PORT))) {
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

/** Loopback TCP ports in LISTEN state whose socket inode is one of the process's fds (Linux). */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const match = /^socket:\[(\d+)\]$/.exec(link);
        if (match) inodes.add(match[1]);
      } catch {
        // fd closed while we looked
      }
    }
  } catch {
    return [];
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue; // 0A = LISTEN
      if (inodes.has(cols[9])) ports.push(parseInt(cols[1].split(':')[1], 16));
    }
  }
  return ports;
}
