// Starting or finding the Node process to debug, and connecting to its inspector. Every way this can
// fail ends in a TargetError whose message the user can act on; none of them waits forever.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { inspectorHandoffPath, terminalHandoverPath } from '../snapshot/assets';
import { CdpConnection } from '../snapshot/cdp/connection';
import { FERRY_OWN_ENV, INSPECTOR_HANDOFF_ENV, TERMINAL_HANDOVER_ENV } from '../snapshot/format/ferry-env';
import type { StoredManifest } from '../snapshot/format/manifest';
import { runtimeDirectory } from '../snapshot/runtime-dir';
import { attachToPid } from '../snapshot/target/attach';
import { launchWithInspector, privateInspectorFlags } from '../snapshot/target/launch';
import type { AttachArguments, LaunchArguments } from './config';
import { FerryError } from '../snapshot/errors';
import type { RelayedConnections } from '../snapshot/remote/restore';
import { terminalHandoverReport, type RestoreHandover } from '../snapshot/target/restore-handover';

export class TargetError extends FerryError {
  readonly kind = 'target';
}

export interface Target {
  readonly cdp: CdpConnection;
  /** The program's process when this adapter started it with piped stdio. */
  readonly child?: ChildProcess;
  /** True when the adapter started the program (launch), false when it attached to it. */
  readonly launched: boolean;
  /** How many of its connections a checkpoint resumed here took from their holder. */
  readonly connectionsTaken?: number;
  /** A run on an SSH host (a checkpoint resumed there): ended through the host, not by pid. */
  readonly remote?: RemoteRun;
  /**
   * The path of the program's main script when it was started without `--inspect-brk` (in the
   * terminal): the session stops at its first line with a one-shot breakpoint instead.
   */
  readonly entry?: string;
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

/** What a launched process is handed besides its arguments: a restore's held files and holder channel. */
type Inherited = Pick<RestoreHandover, 'extraStdio' | 'env'>;

/**
 * For a restore in the terminal, which the client starts: the checkpoint's verified manifest, from
 * which a launcher there takes what `Inherited` would give (snapshot/target/terminal-handover.ts).
 */
export interface TakenInTerminal {
  manifest: StoredManifest;
}

/** Starts `args.program` under its inspector, given `inherited` (in the terminal: what a launcher there takes). */
export async function launchTarget(
  args: LaunchArguments,
  runInTerminal: RunInTerminal,
  inherited?: Inherited | TakenInTerminal,
): Promise<Target> {
  const cwd = args.cwd ?? (args.program ? resolve(args.program, '..') : process.cwd());
  const program = args.program && (isAbsolute(args.program) ? args.program : resolve(cwd, args.program));
  if (!program) throw new TargetError('launch needs a "program": the path of the script to run');
  if (!existsSync(program)) throw new TargetError(`cannot launch: the program "${program}" does not exist`);
  if (!existsSync(cwd)) throw new TargetError(`cannot launch: the working directory "${cwd}" does not exist`);
  const timeoutMs = args.timeout ?? DEFAULT_TIMEOUT_MS;
  if (args.console === 'integratedTerminal') {
    const taken = inherited && 'manifest' in inherited ? inherited : undefined;
    return launchInTerminal(args, { program, cwd, timeoutMs, taken }, runInTerminal);
  }
  const given = inherited && 'extraStdio' in inherited ? inherited : undefined;
  let launched;
  try {
    launched = await launchWithInspector({
      program,
      args: args.args,
      cwd,
      env: { ...mergeEnv(args.env), ...given?.env },
      extraStdio: given?.extraStdio,
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

/** Where and how a program starts in the client's terminal. */
interface TerminalLaunch {
  program: string;
  cwd: string;
  timeoutMs: number;
  /** A restore: a launcher in front of it takes its files and connections first. */
  taken?: TakenInTerminal;
}

/**
 * Starts the program in the client's terminal, whose output (and so the inspector's URL on stderr)
 * the adapter cannot read, with an inspector that publishes its URL on no port (no /json): the
 * preloaded dist/inspector-handoff.js writes the URL into a private directory made for this launch,
 * then holds the program before its first line until the session runs it. That first line is the
 * target's entry (a one-shot breakpoint), as `--inspect-brk` gives for a launch with pipes.
 */
async function launchInTerminal(
  args: LaunchArguments,
  { program, cwd, timeoutMs, taken }: TerminalLaunch,
  runInTerminal: RunInTerminal,
): Promise<Target> {
  const handoff = mkdtempSync(join(runtimeDirectory(), 'terminal-'));
  try {
    const urlFile = join(handoff, 'inspector-url');
    const node = args.runtimeExecutable ?? 'node';
    const command = [
      node,
      ...(args.runtimeArgs ?? []),
      ...privateInspectorFlags(false),
      '--require',
      inspectorHandoffPath(),
      program,
      ...(args.args ?? []),
    ];
    const handoverFile = join(handoff, 'manifest.json');
    if (taken) writeFileSync(handoverFile, JSON.stringify(taken.manifest), { mode: 0o600 });
    // The terminal has the editor's environment: null takes Ferry's own variables (the key) out of it.
    const withoutFerry = Object.fromEntries(FERRY_OWN_ENV.map((name) => [name, null]));
    await runInTerminal(taken ? [node, terminalHandoverPath(), '--', ...command] : command, cwd, {
      ...args.env,
      ...withoutFerry,
      [INSPECTOR_HANDOFF_ENV]: urlFile,
      ...(taken ? { [TERMINAL_HANDOVER_ENV]: handoverFile } : {}),
    });
    const report = taken && terminalHandoverReport(handoverFile);
    const url = await handedOverUrl(urlFile, timeoutMs, report ? report.failed : undefined);
    const cdp = await withTimeout(CdpConnection.connect(url), timeoutMs, 'connecting to the inspector');
    const connectionsTaken = report ? Number(readIfThere(report.taken)) : undefined;
    return { cdp, launched: true, entry: program, connectionsTaken };
  } finally {
    rmSync(handoff, { recursive: true, force: true });
  }
}

/**
 * Polls for the inspector URL a program in the terminal writes (inspector-handoff.ts); it may be
 * half written. A launcher in front of it that failed says why in `failedFile`.
 */
async function handedOverUrl(file: string, timeoutMs: number, failedFile?: string): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const url = /^(ws:\/\/\S+)\n/.exec(readIfThere(file))?.[1];
    if (url) return url;
    const failed = failedFile && readIfThere(failedFile);
    if (failed) throw new TargetError(`the resume in the terminal did not start: ${failed.replace(/^ferry: /, '')}`);
    if (Date.now() > deadline)
      throw new TargetError(
        `the program started in the terminal did not report its inspector within ${timeoutMs} ms (see the terminal for why)`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

function readIfThere(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
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
