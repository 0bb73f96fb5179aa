// Starting or finding the Node process to debug, and connecting to its inspector. Every way this can
// fail ends in a TargetError whose message the user can act on; none of them waits forever.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { CdpConnection } from '../snapshot/cdp/connection';
import { FERRY_OWN_ENV } from '../snapshot/format/ferry-env';
import { attachToPid } from '../snapshot/target/attach';
import { launchWithInspector } from '../snapshot/target/launch';
import type { AttachArguments, LaunchArguments } from './config';
import { FerryError } from '../snapshot/errors';
import type { RelayedConnections } from '../snapshot/remote/restore';

export class TargetError extends FerryError {
  readonly kind = 'target';
}

export interface Target {
  readonly cdp: CdpConnection;
  /** The program's process when this adapter started it with piped stdio. */
  readonly child?: ChildProcess;
  /** True when the adapter started the program (launch), false when it attached to it. */
  readonly launched: boolean;
  /** A run on an SSH host (a checkpoint resumed there): ended through the host, not by pid. */
  readonly remote?: RemoteRun;
}

export interface RemoteRun {
  readonly host: string;
  readonly runId: string;
  /** Its connections, left on this machine with a stub that relays them (snapshot/remote/relay.ts). */
  readonly relay?: RelayedConnections;
  stop(): Promise<void>;
}

/** Asks the client to run a command in its terminal (DAP runInTerminal). */
export type RunInTerminal = (args: string[], cwd: string, env: Record<string, string | null>) => Promise<void>;

const DEFAULT_TIMEOUT_MS = 10_000;

export async function launchTarget(args: LaunchArguments, runInTerminal: RunInTerminal): Promise<Target> {
  const cwd = args.cwd ?? (args.program ? resolve(args.program, '..') : process.cwd());
  const program = args.program && (isAbsolute(args.program) ? args.program : resolve(cwd, args.program));
  if (!program) throw new TargetError('launch needs a "program": the path of the script to run');
  if (!existsSync(program)) throw new TargetError(`cannot launch: the program "${program}" does not exist`);
  if (!existsSync(cwd)) throw new TargetError(`cannot launch: the working directory "${cwd}" does not exist`);
  const timeoutMs = args.timeout ?? DEFAULT_TIMEOUT_MS;
  if (args.console === 'integratedTerminal') {
    // The terminal owns the process, so its stderr (and the inspector's port) is out of reach: choose the port.
    const port = await freePort();
    const runtime = args.runtimeExecutable ?? 'node';
    // The terminal has the editor's environment: null takes Ferry's own variables (the key) out of it.
    const withoutFerry = Object.fromEntries(FERRY_OWN_ENV.map((name) => [name, null]));
    await runInTerminal(
      [runtime, ...(args.runtimeArgs ?? []), `--inspect-brk=127.0.0.1:${port}`, program, ...(args.args ?? [])],
      cwd,
      { ...args.env, ...withoutFerry },
    );
    const cdp = await retryConnect(
      { host: '127.0.0.1', port },
      timeoutMs,
      `the program started in the terminal did not open its inspector on port ${port}`,
    );
    return { cdp, launched: true };
  }
  let launched;
  try {
    launched = await launchWithInspector({
      program,
      args: args.args,
      cwd,
      env: mergeEnv(args.env),
      runtimeExecutable: args.runtimeExecutable,
      runtimeArgs: args.runtimeArgs,
      breakOnStart: true,
      stdio: 'pipe',
      stdin: 'ignore',
      timeoutMs,
    });
  } catch (error) {
    throw new TargetError(`cannot launch ${program}: ${(error as Error).message}`);
  }
  try {
    return {
      cdp: await withTimeout(CdpConnection.connect(launched.webSocketUrl), timeoutMs, 'connecting to the inspector'),
      child: launched.child,
      launched: true,
    };
  } catch (error) {
    launched.child.kill('SIGKILL');
    throw new TargetError(`cannot connect to the inspector of ${program}: ${(error as Error).message}`);
  }
}

export async function attachTarget(args: AttachArguments): Promise<Target> {
  const timeoutMs = args.timeout ?? DEFAULT_TIMEOUT_MS;
  let where: string | { host: string; port: number };
  // By pid: held (one Ferry at a time) until the session's connection closes, which closes an inspector we opened.
  let release = async (): Promise<void> => undefined;
  if (args.websocketUrl) where = args.websocketUrl;
  else if (args.processId !== undefined) {
    const pid = Number(args.processId);
    if (!Number.isInteger(pid) || pid <= 0)
      throw new TargetError(`"processId" must be a process id, got "${args.processId}"`);
    try {
      const attached = await attachToPid(pid, timeoutMs);
      where = attached.url;
      release = attached.release;
    } catch (error) {
      throw new TargetError(`cannot attach to process ${pid}: ${(error as Error).message}`);
    }
  } else where = { host: args.address ?? '127.0.0.1', port: args.port ?? 9229 };
  const label = typeof where === 'string' ? where : `${where.host}:${where.port}`;
  try {
    const cdp = await withTimeout(CdpConnection.connect(where), timeoutMs, `connecting to ${label}`);
    releaseWhenClosed(cdp, release);
    return { cdp, launched: false };
  } catch (error) {
    await release();
    const reason = (error as Error).message;
    const hint = /ECONNREFUSED|fetch failed/.test(reason)
      ? ' (nothing listens there: start Node with --inspect, or attach by processId)'
      : /timed out|aborted/i.test(reason)
        ? ' (is it a Node inspector?)'
        : '';
    throw new TargetError(`cannot attach to the inspector at ${label}: ${reason}${hint}`);
  }
}

/**
 * Lets go of a process attached to by pid when the session's connection closes: from the target's
 * end (onClose), or from ours (the session ends or restarts; onClose does not report that one).
 */
function releaseWhenClosed(cdp: CdpConnection, release: () => Promise<void>): void {
  cdp.onClose(() => void release());
  const close = cdp.close.bind(cdp);
  cdp.close = async () => {
    await close();
    await release();
  };
}

function mergeEnv(overrides: Record<string, string | null> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
  return env;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls until a process we cannot watch (it runs in the client's terminal) opens its inspector. */
async function retryConnect(
  at: { host: string; port: number },
  timeoutMs: number,
  failure: string,
): Promise<CdpConnection> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await CdpConnection.connect(at);
    } catch (error) {
      if (Date.now() > deadline) throw new TargetError(`${failure}: ${(error as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}
