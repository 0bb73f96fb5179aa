// One host reached through the system OpenSSH client, over a ControlMaster connection shared by
// every command of an operation and kept warm (ControlPersist) for the next one.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { destinationArgs, parseDestination, type Destination } from './destination';
import { sshFailure } from './errors';
import { runCommand, type ExecResult, type HostCommandLine, type RemoteHost } from './host';

export interface SshOptions {
  /** An ssh_config alias, host, user@host or user@host:port. */
  host: string;
  /** Another ssh_config file (ssh -F) instead of ~/.ssh/config. */
  sshConfig?: string;
  /** Where the ControlMaster sockets live; created private (0700). Default ~/.ferry/ssh. */
  controlDir?: string;
  /** Seconds the master stays up after its last use, so the next command starts warm. Default 300. */
  persistSeconds?: number;
}

/** What ssh needs of our environment to reach the master from another process (no more: that process is no shell). */
const SSH_ENVIRONMENT = ['PATH', 'HOME', 'USER', 'SSH_AUTH_SOCK'];

export class SshHost implements RemoteHost {
  readonly commandContext = 'a non-interactive SSH session';

  private constructor(
    readonly destination: Destination,
    /** Options shared by every ssh invocation (config file, control socket, batch mode, timeouts). */
    private readonly options: string[],
    /** True when a master from an earlier command was still running. */
    readonly warm: boolean,
  ) {}

  get label(): string {
    return this.destination.label;
  }

  /** Opens (or reuses) the master connection; authentication and host key problems surface here. */
  static async connect(options: SshOptions): Promise<SshHost> {
    const destination = parseDestination(options.host);
    const config = options.sshConfig ? ['-F', path.resolve(options.sshConfig)] : [];
    const controlDir = privateControlDir(options.controlDir);
    // %C hashes the resolved user, host and port; the tag adds the config file and the name the user gave, so an alias
    // with other settings (HostKeyAlias, keys) never rides on a master that was authenticated under another name.
    const tag = createHash('sha256')
      .update(`${options.sshConfig ? path.resolve(options.sshConfig) : ''}\0${destination.label}`)
      .digest('hex')
      .slice(0, 8);
    const controlPath = ['-o', `ControlPath=${path.join(controlDir, `${tag}-%C`)}`];
    const resolved = await sshConfigFor([...config, ...controlPath], destination);
    const shared = [
      ...config,
      ...controlPath,
      // No terminal to ask on: fail instead of hanging on a prompt. With a terminal, ssh asks there (passphrases, new host keys).
      ...(process.stdin.isTTY || process.stderr.isTTY ? [] : ['-o', 'BatchMode=yes']),
      // Defaults only where the user's config leaves these unset: a dead link must be noticed in seconds, not hours.
      ...(resolved.get('connecttimeout') === 'none' ? ['-o', 'ConnectTimeout=15'] : []),
      ...(resolved.get('serveraliveinterval') === '0'
        ? ['-o', 'ServerAliveInterval=5', '-o', 'ServerAliveCountMax=3']
        : []),
    ];
    const check = () =>
      run(['-O', 'check', ...shared, ...destinationArgs(destination)]).then((result) => result.code === 0);
    if (await check()) return new SshHost(destination, shared, true);
    // Two Ferry commands starting at once: the second master would find the socket taken, give up
    // multiplexing and stay in the background as a plain connection for good. One starts it, the other waits.
    const release = await lock(path.join(controlDir, `${tag}.starting`));
    try {
      if (await check()) return new SshHost(destination, shared, true);
      // A master that died without cleaning up (killed, the machine went down) leaves its socket behind; ssh
      // would not replace it and would run the new master without multiplexing. Nobody answers on it: remove it.
      removeStaleSocket(resolved.get('controlpath'));
      await startMaster(shared, destination, controlDir, options.persistSeconds ?? 300);
      return new SshHost(destination, shared, false);
    } finally {
      release();
    }
  }

  /** Starts `command` (a remote shell command line) over the master. */
  spawn(command: string, stdio: StdioOptions = 'pipe'): ChildProcess {
    return spawn('ssh', this.commandArgs(command), { stdio });
  }

  /**
   * The ssh command line that runs `command` over the master, for another process to run (the stub
   * that relays a program's connections): never asking for anything, it has no one to ask.
   */
  commandLine(command: string): HostCommandLine {
    return {
      command: ['ssh', '-o', 'BatchMode=yes', ...this.commandArgs(command)],
      env: Object.fromEntries(
        SSH_ENVIRONMENT.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])),
      ),
    };
  }

  transportFailure(stderr: string) {
    return sshFailure(this.label, stderr);
  }

  /** Runs `command` to completion. Rejects with a RemoteError when ssh itself fails (exit 255). */
  exec(command: string, input?: Buffer | Readable): Promise<ExecResult> {
    return run(this.commandArgs(command), input).then((result) => {
      if (result.code === 255) throw sshFailure(this.label, result.stderr);
      return result;
    });
  }

  /** Forwards 127.0.0.1:localPort here to 127.0.0.1:remotePort there, through the master (no connector needed). Loopback only on both ends. */
  async forward(localPort: number, remotePort: number): Promise<void> {
    const result = await run([
      '-O',
      'forward',
      '-L',
      `127.0.0.1:${localPort}:127.0.0.1:${remotePort}`,
      ...this.options,
      ...destinationArgs(this.destination),
    ]);
    if (result.code !== 0)
      throw new Error(
        `cannot forward local port ${localPort} to port ${remotePort} on ${this.label}: ${result.stderr.trim() || `ssh exited ${result.code}`}`,
      );
  }

  forwardAdvice(localPort: number, remotePort: number): string {
    return `forward it from elsewhere with: ssh -N -L ${localPort}:127.0.0.1:${remotePort} ${this.label}`;
  }

  async cancelForward(localPort: number, remotePort: number): Promise<void> {
    await run([
      '-O',
      'cancel',
      '-L',
      `127.0.0.1:${localPort}:127.0.0.1:${remotePort}`,
      ...this.options,
      ...destinationArgs(this.destination),
    ]);
  }

  /** Ends the master now instead of letting ControlPersist expire it. */
  async close(): Promise<void> {
    await run(['-O', 'exit', ...this.options, ...destinationArgs(this.destination)]);
  }

  private commandArgs(command: string): string[] {
    return ['-T', '-o', 'ControlMaster=no', ...this.options, ...destinationArgs(this.destination), command];
  }
}

/** `ssh -G`: the configuration ssh would use for this destination, without connecting. Also validates -F and the host. */
async function sshConfigFor(config: string[], destination: Destination): Promise<Map<string, string>> {
  const result = await run(['-G', ...config, ...destinationArgs(destination)]);
  if (result.code !== 0)
    throw new Error(`ssh cannot use the destination ${destination.label}: ${result.stderr.trim()}`);
  return new Map(
    result.stdout
      .toString('utf8')
      .split('\n')
      .map((line) => {
        const space = line.indexOf(' ');
        return [line.slice(0, space), line.slice(space + 1)] as [string, string];
      }),
  );
}

async function startMaster(
  shared: string[],
  destination: Destination,
  controlDir: string,
  persistSeconds: number,
): Promise<void> {
  // The master forks into the background after authenticating (-f) and keeps its stderr: give it a file, not our pipe,
  // or reading the pipe to its end would wait for the master to exit.
  const logFile = path.join(controlDir, `master-${randomBytes(4).toString('hex')}.log`);
  const log = openSync(logFile, 'w', 0o600);
  try {
    const child = spawn(
      'ssh',
      [
        '-o',
        'ControlMaster=yes',
        '-o',
        `ControlPersist=${persistSeconds}`,
        '-N',
        '-f',
        ...shared,
        ...destinationArgs(destination),
      ],
      { stdio: ['ignore', 'ignore', log] },
    );
    const code = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode) => resolve(exitCode ?? 255));
    });
    if (code !== 0) throw sshFailure(destination.label, readFileSync(logFile, 'utf8'));
  } finally {
    closeSync(log);
    rmSync(logFile, { force: true });
  }
}

function run(args: string[], input?: Buffer | Readable): Promise<ExecResult> {
  return runCommand(['ssh', ...args], input);
}

function removeStaleSocket(socketPath: string | undefined): void {
  if (socketPath && lstatSync(socketPath, { throwIfNoEntry: false })?.isSocket()) rmSync(socketPath, { force: true });
}

/** A lock held by creating a directory; one left by a process that died is taken over after a minute. */
async function lock(dir: string): Promise<() => void> {
  for (;;) {
    try {
      mkdirSync(dir);
      return () => rmSync(dir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const stat = lstatSync(dir, { throwIfNoEntry: false });
      if (stat && Date.now() - stat.mtimeMs > 60_000) rmSync(dir, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** A directory only we can enter: the control sockets in it carry our authenticated connections. */
function privateControlDir(requested: string | undefined): string {
  let dir = requested ?? path.join(os.homedir(), '.ferry', 'ssh');
  // Unix socket paths are limited to ~104 bytes; the socket name adds 50.
  if (dir.length > 50) dir = path.join(os.tmpdir(), `ferry-ssh-${os.userInfo().uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== os.userInfo().uid)
    throw new Error(`${dir} must be a directory owned by you (it holds SSH control sockets)`);
  if ((stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return dir;
}
