// Starts a Node program with its inspector on loopback and reports the real port from stderr.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import type { Socket } from 'node:net';
import { withoutFerryEnv } from '../format/ferry-env';

export interface LaunchOptions {
  program: string;
  args?: string[];
  cwd?: string;
  /** The program's environment (default: ours); Ferry's own variables (format/ferry-env.ts) are left out. */
  env?: NodeJS.ProcessEnv;
  runtimeExecutable?: string;
  runtimeArgs?: string[];
  /** Stop before the first line of user code (--inspect-brk). */
  breakOnStart?: boolean;
  /** Where the program's stdout/stderr go; 'pipe' leaves them to the caller. */
  stdio?: 'inherit' | 'pipe';
  /** The program's stdin; a DAP server on stdio must not hand its own stdin to the program. */
  stdin?: 'inherit' | 'ignore';
  /** Descriptors it inherits past stderr, as 3, 4, … (a restore's: target/restore-handover.ts). */
  extraStdio?: Array<'ignore' | number | Socket>;
  /** How long Node may take to open its inspector (it does so before the program's first line). */
  timeoutMs?: number;
}

export interface LaunchedTarget {
  child: ChildProcess;
  webSocketUrl: string;
  port: number;
}

// Only a hang detector: a Node that fails to start exits and says why. A loaded machine (twenty
// runnable processes on two cores) has taken over 10 s to get there.
const DEFAULT_INSPECTOR_WAIT_MS = 30_000;
const LISTENING = /Debugger listening on (ws:\/\/[^\s]+)/;
// Lines the inspector prints on stderr; they are not the program's output.
const INSPECTOR_NOISE =
  /^(Debugger listening on ws:|For help, see: https:\/\/nodejs\.org\/|Debugger attached\.|Waiting for the debugger to disconnect\.\.\.)/;

/**
 * Node's flags for an inspector on loopback whose session URL (its random UUID, which the inspector
 * requires) is printed on the program's stderr only: Node's /json endpoints, which would hand it to any
 * local user who finds the port, are off. Port 0: one of the system's choice.
 */
export function privateInspectorFlags(breakOnStart: boolean, port = 0): string[] {
  return [`${breakOnStart ? '--inspect-brk' : '--inspect'}=127.0.0.1:${port}`, '--inspect-publish-uid=stderr'];
}

export function launchWithInspector(options: LaunchOptions): Promise<LaunchedTarget> {
  const inspectFlags = privateInspectorFlags(options.breakOnStart ?? false);
  const spawnOptions: SpawnOptions = {
    cwd: options.cwd,
    env: withoutFerryEnv(options.env ?? process.env),
    stdio: [
      options.stdin ?? 'inherit',
      options.stdio === 'pipe' ? 'pipe' : 'inherit',
      'pipe',
      ...(options.extraStdio ?? []),
    ],
  };
  const child = spawn(
    options.runtimeExecutable ?? process.execPath,
    [...(options.runtimeArgs ?? []), ...inspectFlags, options.program, ...(options.args ?? [])],
    spawnOptions,
  );
  const forwardStderr = options.stdio !== 'pipe';
  return new Promise((resolve, reject) => {
    let buffered = '';
    let found = false;
    const waitMs = options.timeoutMs ?? DEFAULT_INSPECTOR_WAIT_MS;
    const timer = setTimeout(
      () => fail(new Error(`the program did not open its inspector within ${waitMs} ms`)),
      waitMs,
    );
    function fail(error: Error): void {
      if (found) return;
      found = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    }
    child.once('error', (error) =>
      fail(new Error(`cannot start ${options.runtimeExecutable ?? 'node'}: ${error.message}`)),
    );
    child.once('exit', (code, signal) =>
      fail(
        new Error(
          `the program exited (${signal ?? `code ${code}`}) before its inspector opened${buffered ? `: ${buffered.trim()}` : ''}`,
        ),
      ),
    );
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      if (found) {
        if (forwardStderr) process.stderr.write(stripInspectorNoise(text));
        return;
      }
      buffered += text;
      const match = LISTENING.exec(buffered);
      if (!match) return;
      found = true;
      clearTimeout(timer);
      const rest = stripInspectorNoise(buffered);
      if (forwardStderr && rest) process.stderr.write(rest);
      const webSocketUrl = match[1];
      resolve({ child, webSocketUrl, port: Number(new URL(webSocketUrl).port) });
    });
  });
}

export function stripInspectorNoise(text: string): string {
  return text
    .split(/(?<=\n)/)
    .filter((line) => !INSPECTOR_NOISE.test(line))
    .join('');
}
