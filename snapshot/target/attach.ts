// Finds the inspector of a running Node process, opening it with SIGUSR1 when it is closed.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { basename } from 'node:path';
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
  const node = nodeProcess(pid);
  let url = await findInspectorUrl(pid, node.inspectorPorts);
  if (url) return { url, openedBySignal: false };
  if (node.inspectorPorts.includes(0)) throw new Error(`the inspector of process ${pid} listens on a port it chose itself (--inspect=0): attach with its port or ws:// URL instead`);
  // The inspector SIGUSR1 opens is a port the process did not listen on before.
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
      url = await waitForInspector(pid, node.inspectorPorts, Math.min(timeoutMs, Math.max(500, deadline - Date.now())), before);
      return { url, openedBySignal: true };
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}

const DEFAULT_INSPECTOR_PORT = 9229;
const OPTIONS_WITH_VALUE = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '-e', '--eval', '-p', '--print', '-C', '--conditions', '--title', '--env-file', '--input-type']);

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

async function waitForInspector(pid: number, inspectorPorts: number[], timeoutMs: number, known: Set<number>): Promise<string> {
  let url: string | undefined;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    assertAlive(pid);
    url = await findInspectorUrl(pid, inspectorPorts, known);
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
 * The inspector URL of `pid` on one of the ports its inspector can be on (not in `skip`), when the
 * process listens there. Only those are asked: the program's own servers never get a request.
 */
async function findInspectorUrl(pid: number, inspectorPorts: number[], skip = new Set<number>()): Promise<string | undefined> {
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

/**
 * What /proc says about `pid` before anything is sent to it: that it runs Node (SIGUSR1 would
 * kill most other programs), and the ports its inspector can be on, from its --inspect flags on
 * the command line and in NODE_OPTIONS (9229 when none names one; 0 for a port of its own choice).
 */
export function nodeProcess(pid: number): { inspectorPorts: number[] } {
  let exe = '';
  let args: string[] = [];
  try {
    exe = readlinkSync(`/proc/${pid}/exe`);
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    throw new Error(`cannot read /proc/${pid}: Ferry attaches by pid only to processes of this user on Linux`);
  }
  if (!/node/i.test(basename(exe.replace(/ \(deleted\)$/, '')))) throw new Error(`process ${pid} runs ${exe}, not Node.js: Ferry does not signal it`);
  let environ = '';
  try {
    environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    // another user's environment: the command line is all we know
  }
  const nodeOptions = /(?:^|\0)NODE_OPTIONS=([^\0]*)/.exec(environ)?.[1] ?? '';
  const ports = new Set<number>([DEFAULT_INSPECTOR_PORT]);
  const nodeArgs = args.slice(1);
  // Node's own options end at the script (or `--`); what follows is the program's.
  const end = nodeArgs.findIndex((arg, i) => arg === '--' || (!arg.startsWith('-') && !OPTIONS_WITH_VALUE.has(nodeArgs[i - 1])));
  for (const arg of [...nodeOptions.split(/\s+/), ...(end < 0 ? nodeArgs : nodeArgs.slice(0, end))]) {
    const flag = /^--inspect(?:-brk|-wait|-port)?=(?:.*:)?(\d+)$/.exec(arg);
    if (flag) ports.add(Number(flag[1]));
  }
  return { inspectorPorts: [...ports] };
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
