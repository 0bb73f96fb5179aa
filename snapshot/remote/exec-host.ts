// A host reached by running a command inside it, as a container is: `docker exec -i NAME sh -c CMD`.
//   docker://[USER@]NAME   docker exec -i [-u USER] NAME
//   podman://[USER@]NAME   podman exec -i [-u USER] NAME
//   exec:PREFIX            the words of PREFIX (split on spaces, no quoting), e.g.
//                          `exec:kubectl exec -i POD --` or `exec:nsenter --target PID --mount --net --`
// Ferry appends `sh -c CMD` to the prefix for every command. There is no port forwarding of the
// transport's own: a forwarded port runs one command per connection, the host helper's `connect`,
// whose stdio carries the connection (stdio-forward.ts).
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { Readable } from 'node:stream';
import { withoutFerryEnv } from '../format/ferry-env';
import { RemoteError } from './errors';
import { runCommand, type ExecResult, type HostCommandLine, type PortConnector, type RemoteHost } from './host';
import { StdioPortForwards } from './stdio-forward';

export interface ExecHostSpec {
  /** As the user wrote it, for messages. */
  label: string;
  /** The command line that runs the words after it inside the container. */
  prefix: string[];
  /** Where its commands run, for messages. */
  commandContext: string;
}

const ENGINES: Record<string, string> = { 'docker://': 'docker', 'podman://': 'podman' };
const EXEC_SCHEME = 'exec:';
/** What the container answers to show that a command ran there. */
const READY = 'ferry-ready';

/** The container a `--on` value names, or undefined for an SSH host. Throws on a malformed one. */
export function parseExecHost(spec: string): ExecHostSpec | undefined {
  const scheme = Object.keys(ENGINES).find((prefix) => spec.startsWith(prefix));
  if (scheme) {
    const engine = ENGINES[scheme];
    const prefix = enginePrefix(engine, spec.slice(scheme.length), spec);
    return { label: spec, prefix, commandContext: `a command run by \`${engine} exec\`` };
  }
  if (!spec.startsWith(EXEC_SCHEME)) return undefined;
  const words = spec.slice(EXEC_SCHEME.length).trim().split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.some((word) => /['"\\]/.test(word)))
    throw new Error(
      `not an exec prefix: "${spec}" (expected exec:COMMAND ARGS..., words separated by spaces, without quotes)`,
    );
  return { label: spec, prefix: words, commandContext: 'a command run through the exec prefix' };
}

function enginePrefix(engine: string, target: string, spec: string): string[] {
  const at = target.lastIndexOf('@');
  const user = at >= 0 ? target.slice(0, at) : undefined;
  const name = target.slice(at + 1).replace(/\/$/, '');
  if (!name || user === '' || /\s/.test(target) || name.startsWith('-') || user?.startsWith('-'))
    throw new Error(`not a container: "${spec}" (expected ${engine}://NAME or ${engine}://USER@NAME)`);
  return [engine, 'exec', '-i', ...(user ? ['-u', user] : []), name];
}

export class ExecHost implements RemoteHost {
  readonly label: string;
  readonly commandContext: string;
  private readonly prefix: string[];
  private readonly forwards = new StdioPortForwards(this);

  private constructor(spec: ExecHostSpec) {
    this.label = spec.label;
    this.prefix = spec.prefix;
    this.commandContext = spec.commandContext;
  }

  /** Checks that a command runs there and answers; a stopped container or a wrong prefix surfaces here. */
  static async connect(spec: ExecHostSpec): Promise<ExecHost> {
    const host = new ExecHost(spec);
    const result = await host.exec(`echo ${READY}`);
    if (result.code !== 0 || result.stdout.toString('utf8').trim() !== READY)
      throw new RemoteError(
        'unreachable',
        `cannot run a command in ${spec.label} with \`${spec.prefix.join(' ')}\`: ${lastLine(result.stderr) || `exit ${result.code}`}`,
      );
    return host;
  }

  spawn(command: string, stdio: StdioOptions = 'pipe'): ChildProcess {
    const [file, ...args] = this.argv(command);
    return spawn(file, args, { stdio, env: withoutFerryEnv(process.env) });
  }

  exec(command: string, input?: Buffer | Readable): Promise<ExecResult> {
    return runCommand(this.argv(command), input, withoutFerryEnv(process.env)).catch((error: Error) => {
      throw new RemoteError('unreachable', `${this.label}: ${error.message}`);
    });
  }

  commandLine(command: string): HostCommandLine {
    const env = Object.entries(withoutFerryEnv(process.env)).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, value]],
    );
    return { command: this.argv(command), env: Object.fromEntries(env) };
  }

  transportFailure(stderr: string): RemoteError {
    return new RemoteError(
      'connection-lost',
      `lost the connection to ${this.label} (${lastLine(stderr) || 'no answer'})`,
    );
  }

  forward(localPort: number, remotePort: number, connector: PortConnector): Promise<void> {
    return this.forwards.open(localPort, remotePort, connector);
  }

  forwardAdvice(localPort: number, remotePort: number): string {
    return `the forward of local port ${localPort} to port ${remotePort} on ${this.label} lasts as long as this process (one \`${this.prefix[0]}\` per connection)`;
  }

  async cancelForward(localPort: number, remotePort: number): Promise<void> {
    this.forwards.close(localPort, remotePort);
  }

  private argv(command: string): string[] {
    return execCommandLine(this.prefix, command);
  }
}

/** The whole command line that runs the shell command `command` in the container. */
export function execCommandLine(prefix: string[], command: string): string[] {
  return [...prefix, 'sh', '-c', command];
}

function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  );
}
