// What the remote code needs of a host, whatever reaches it: OpenSSH (ssh.ts) or a command that
// runs another in a container (`docker exec`, `podman exec`, a prefix the user gives: exec-host.ts).
// Every command given to a host is a POSIX shell command line.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { RemoteError } from './errors';

export interface ExecResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** A command for another process to run (the stub that relays a program's connections), with the environment it needs. */
export interface HostCommandLine {
  command: string[];
  env: Record<string, string>;
}

/**
 * The host-side shell command that joins its stdin and stdout to 127.0.0.1:port there (the host
 * helper's `connect`): how a transport without port forwarding of its own forwards a port.
 */
export type PortConnector = (remotePort: number) => Promise<string>;

export interface RemoteHost {
  /** As the user named it (`--on`), for messages. */
  readonly label: string;
  /** Where a command runs, for messages: "a non-interactive SSH session". */
  readonly commandContext: string;
  /** Starts `command` there. */
  spawn(command: string, stdio?: StdioOptions): ChildProcess;
  /** Runs `command` to completion; rejects with a RemoteError when the transport itself fails. */
  exec(command: string, input?: Buffer | Readable): Promise<ExecResult>;
  /** The command line that runs `command` there, for another process: it never asks for anything. */
  commandLine(command: string): HostCommandLine;
  /** What a command that ended without answering says about the link, from its stderr. */
  transportFailure(stderr: string): RemoteError;
  /** Makes 127.0.0.1:localPort here reach 127.0.0.1:remotePort there (loopback only on both ends). */
  forward(localPort: number, remotePort: number, connector: PortConnector): Promise<void>;
  cancelForward(localPort: number, remotePort: number): Promise<void>;
  /** How such a forward is had once Ferry is gone (a detached run's inspector), for the user. */
  forwardAdvice(localPort: number, remotePort: number): string;
}

/** Runs `command` (a program and its arguments) here to completion, `input` on its stdin. A signal's end reads as 255. */
export function runCommand(command: string[], input?: Buffer | Readable, env?: NodeJS.ProcessEnv): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    // The remote end may exit without reading all of its input; that is its answer, not our failure.
    child.stdin.on('error', () => {});
    child.once('error', (error) => reject(new Error(`cannot run ${command[0]}: ${error.message}`)));
    child.once('close', (code, signal) =>
      resolve({
        code: code ?? (signal ? 255 : 0),
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    if (input === undefined) child.stdin.end();
    else if (Buffer.isBuffer(input)) child.stdin.end(input);
    else input.pipe(child.stdin);
  });
}
