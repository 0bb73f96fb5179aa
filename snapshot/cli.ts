// The `ferry` command (docs/ARCHITECTURE.md §1). Parses arguments and dispatches to one module per command group.
import { parseArgs } from 'node:util';
import {
  checkpointCommand,
  inspectCommand,
  releaseCommand,
  restoreLocally,
  runCommand,
  verifyCommand,
} from './cli/local';
import { parseCheckpointPoint, runWithCheckpointAt } from './cli/run-at';
import { collectGarbage, followLogs, listRuns, migrateToHost, restoreOnHost, stopRun } from './cli/remote';
import { exitStatusOf, FerryError } from './errors';
import { isInterrupted } from './cli/interrupt';
import { DEFAULT_FREEZE_TIMEOUT_MS } from './remote/migrate';
import { parseExecHost } from './remote/exec-host';

const USAGE = `usage:
  ferry run [--checkpoint-at FILE:LINE[#HIT] [-o OUT] [--then stop|continue] [--exact] [--key-file F]] -- SCRIPT [ARGS...]
  ferry checkpoint (--pid PID | --inspect HOST:PORT|WS_URL) [--at idle|here] [-o OUT] [--then continue|stop] [--key-file F] [--idle-timeout MS] [--redact-env]
  ferry restore CHECKPOINT [--cwd DIR] [--overwrite] [--on HOST] [--ssh-config FILE] [--debug[=PORT]] [--detach] [--forward PORT|L:R]... [--ship-node] [--keep] [--remote-dir D] [--key-file F] [--close-connections]
  ferry migrate (--pid PID | --inspect HOST:PORT|WS_URL) --on HOST [--cwd DIR] [--overwrite] [--clone] [--follow] [--forward-servers] [--freeze-timeout MS] [--close-connections] [--ssh-config FILE] [--ship-node]
  ferry ps --on HOST [--json]          ferry logs --on HOST RUN          ferry stop --on HOST RUN [--remove]
  HOST: an ssh_config alias, user@host[:port], or a container: docker://[USER@]NAME, podman://[USER@]NAME, 'exec:PREFIX...'
  ferry gc --on HOST [--older-than DAYS]
  ferry release CHECKPOINT [--key-file F]
  ferry inspect CHECKPOINT [--json] [--key-file F]
  ferry verify CHECKPOINT [--key-file F]`;

/** Options every command that talks to a host takes. */
const HOST_OPTIONS = {
  on: { type: 'string' },
  'ssh-config': { type: 'string' },
  'remote-dir': { type: 'string' },
  'ship-node': { type: 'boolean' },
} as const;

function hostOptions(
  values: { on?: string; 'ssh-config'?: string; 'remote-dir'?: string; 'ship-node'?: boolean },
  command: string,
) {
  if (!values.on) throw new UsageError(`ferry ${command} needs --on HOST`);
  if (values['ssh-config'] && parseExecHost(values.on))
    throw new UsageError(`--ssh-config goes with an SSH host, not ${values.on}`);
  return {
    host: values.on,
    sshConfig: values['ssh-config'],
    remoteDir: values['remote-dir'],
    shipNode: values['ship-node'],
  };
}

/** `--debug` takes an optional value, which parseArgs cannot express: split `--debug=PORT` off first. */
function takeDebugFlag(args: string[]): { rest: string[]; debug?: true | number } {
  let debug: true | number | undefined;
  const rest = args.filter((arg) => {
    if (arg === '--debug') debug = true;
    else if (arg.startsWith('--debug=')) {
      debug = Number(arg.slice('--debug='.length));
      if (!Number.isInteger(debug) || debug <= 0 || debug > 65535)
        throw new UsageError(`--debug=PORT takes a port number, not "${arg.slice(8)}"`);
    } else return true;
    return false;
  });
  return { rest, debug };
}

class UsageError extends FerryError {
  readonly kind = 'usage';
}

/** Progress steps on a terminal, one line redrawn in place; nothing when stderr is a file or pipe. */
const progress = (step: string) => {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${step}…`);
};
const doneProgress = () => {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
};

function parsePid(value: string | undefined): number | undefined {
  const pid = value !== undefined ? Number(value) : undefined;
  if (pid !== undefined && !Number.isInteger(pid)) throw new UsageError(`--pid takes a process id, not "${value}"`);
  return pid;
}

function oneCheckpointFile(positionals: string[], command: string): string {
  if (positionals.length !== 1) throw new UsageError(`ferry ${command} takes one checkpoint file`);
  return positionals[0];
}

async function run(args: string[]): Promise<number> {
  const dash = args.indexOf('--');
  const own = dash >= 0 ? args.slice(0, dash) : [];
  const program = dash >= 0 ? args.slice(dash + 1) : args;
  const { values } = parseArgs({
    args: own,
    options: {
      'checkpoint-at': { type: 'string' },
      output: { type: 'string', short: 'o' },
      then: { type: 'string' },
      exact: { type: 'boolean' },
      'key-file': { type: 'string' },
    },
  });
  if (program.length === 0) throw new UsageError('ferry run needs a script: ferry run -- SCRIPT [ARGS...]');
  if (!values['checkpoint-at']) {
    if (values.output || values.then || values.exact)
      throw new UsageError('-o, --then and --exact go with --checkpoint-at');
    return runCommand({ script: program[0], args: program.slice(1) });
  }
  const at = parseCheckpointPoint(values['checkpoint-at']);
  if (!at) throw new UsageError(`--checkpoint-at takes FILE:LINE or FILE:LINE#HIT, not "${values['checkpoint-at']}"`);
  const then = values.then ?? 'stop';
  if (then !== 'continue' && then !== 'stop') throw new UsageError('--then takes continue or stop');
  return runWithCheckpointAt({
    script: program[0],
    args: program.slice(1),
    at,
    then,
    exact: values.exact ?? false,
    keyFile: values['key-file'],
    progress,
    output: values.output ?? `${program[0].replace(/^.*\//, '').replace(/\.[cm]?js$/, '')}-${Date.now()}.ferry`,
  }).finally(doneProgress);
}

async function checkpoint(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      pid: { type: 'string' },
      inspect: { type: 'string' },
      at: { type: 'string', default: 'idle' },
      output: { type: 'string', short: 'o' },
      then: { type: 'string', default: 'continue' },
      'key-file': { type: 'string' },
      'idle-timeout': { type: 'string', default: '10000' },
      'redact-env': { type: 'boolean' },
    },
  });
  if (values.at !== 'idle' && values.at !== 'here') throw new UsageError('--at takes idle or here');
  if (values.then !== 'continue' && values.then !== 'stop') throw new UsageError('--then takes continue or stop');
  const pid = parsePid(values.pid);
  await checkpointCommand({
    pid,
    inspect: values.inspect,
    at: values.at,
    then: values.then,
    keyFile: values['key-file'],
    idleTimeoutMs: Number(values['idle-timeout']),
    redactEnv: values['redact-env'],
    output: values.output ?? `${pid ?? 'program'}-${Date.now()}.ferry`,
    progress,
  }).finally(doneProgress);
  return 0;
}

async function restore(argv: string[]): Promise<number> {
  const { rest: args, debug } = takeDebugFlag(argv);
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...HOST_OPTIONS,
      detach: { type: 'boolean' },
      forward: { type: 'string', multiple: true },
      keep: { type: 'boolean' },
      'key-file': { type: 'string' },
      overwrite: { type: 'boolean' },
      cwd: { type: 'string' },
      'close-connections': { type: 'boolean' },
    },
  });
  const file = oneCheckpointFile(positionals, 'restore');
  if (!values.on) {
    if (values.detach || values.forward || values.keep || values['close-connections'])
      throw new UsageError('--detach, --forward, --keep and --close-connections go with --on HOST');
    return restoreLocally({
      checkpoint: file,
      keyFile: values['key-file'],
      debug,
      overwrite: values.overwrite,
      cwd: values.cwd,
    });
  }
  // A container's forwards live in this process (remote/stdio-forward.ts): a detached run would lose them at once.
  if (values.detach && (debug || values.forward) && parseExecHost(values.on))
    throw new UsageError(
      `--detach with --debug or --forward needs an SSH host: the forwards to ${values.on} last only while ferry runs (leave out --detach)`,
    );
  return restoreOnHost({
    ...hostOptions(values, 'restore'),
    checkpoint: file,
    debug,
    detach: values.detach,
    forwardPorts: values.forward,
    keepRun: values.keep,
    keyFile: values['key-file'],
    cwd: values.cwd,
    overwrite: values.overwrite,
    closeConnections: values['close-connections'],
  });
}

async function migrate(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...HOST_OPTIONS,
      pid: { type: 'string' },
      inspect: { type: 'string' },
      clone: { type: 'boolean' },
      follow: { type: 'boolean' },
      'forward-servers': { type: 'boolean' },
      'idle-timeout': { type: 'string', default: '10000' },
      'freeze-timeout': { type: 'string', default: String(DEFAULT_FREEZE_TIMEOUT_MS) },
      cwd: { type: 'string' },
      overwrite: { type: 'boolean' },
      'close-connections': { type: 'boolean' },
    },
  });
  const freezeTimeoutMs = Number(values['freeze-timeout']);
  if (!(freezeTimeoutMs > 0))
    throw new UsageError(`--freeze-timeout takes a number of milliseconds, not "${values['freeze-timeout']}"`);
  const pid = parsePid(values.pid);
  if (pid === undefined && !values.inspect) throw new UsageError('say which program: --pid PID or --inspect HOST:PORT');
  return migrateToHost({
    ...hostOptions(values, 'migrate'),
    pid,
    inspect: values.inspect,
    clone: values.clone,
    follow: values.follow,
    forwardServers: values['forward-servers'],
    idleTimeoutMs: Number(values['idle-timeout']),
    freezeTimeoutMs,
    cwd: values.cwd,
    overwrite: values.overwrite,
    closeConnections: values['close-connections'],
  });
}

async function gc(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { ...HOST_OPTIONS, 'older-than': { type: 'string', default: '7' } } });
  const days = Number(values['older-than']);
  if (!(days >= 0)) throw new UsageError(`--older-than takes a number of days, not "${values['older-than']}"`);
  return collectGarbage({ ...hostOptions(values, 'gc'), olderThanDays: days });
}

async function ps(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { ...HOST_OPTIONS, json: { type: 'boolean' } } });
  return listRuns({ ...hostOptions(values, 'ps'), json: values.json });
}

/** `logs` and `stop` name one run on a host. */
function runOnHost(command: 'logs' | 'stop') {
  return async (args: string[]): Promise<number> => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { ...HOST_OPTIONS, remove: { type: 'boolean' } },
    });
    if (positionals.length !== 1) throw new UsageError(`ferry ${command} takes one run id (see ferry ps --on HOST)`);
    const run = { ...hostOptions(values, command), runId: positionals[0] };
    return command === 'logs' ? followLogs(run) : stopRun({ ...run, remove: values.remove });
  };
}

async function inspect(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, 'key-file': { type: 'string' } },
  });
  inspectCommand(oneCheckpointFile(positionals, 'inspect'), !!values.json, values['key-file']);
  return 0;
}

/** The connections a `--then stop` checkpoint left with a holder, closed without a restore. */
async function release(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'key-file': { type: 'string' } },
  });
  await releaseCommand(oneCheckpointFile(positionals, 'release'), values['key-file']);
  return 0;
}

async function verify(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'key-file': { type: 'string' } },
  });
  verifyCommand(oneCheckpointFile(positionals, 'verify'), values['key-file']);
  return 0;
}

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  run,
  checkpoint,
  restore,
  migrate,
  gc,
  ps,
  logs: runOnHost('logs'),
  stop: runOnHost('stop'),
  release,
  inspect,
  verify,
};

async function main([command, ...rest]: string[]): Promise<number> {
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const handler = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!handler) throw new UsageError(`unknown command "${command}"`);
  return handler(rest);
}

/** Exits once stdout and stderr have taken everything: a pipe takes what exceeds its buffer later. */
function exitWhenFlushed(code: number): void {
  let pending = 2;
  const done = () => --pending === 0 && process.exit(code);
  process.stdout.write('', done);
  process.stderr.write('', done);
}

/** Exit status of a Unix tool ended by SIGPIPE (128 + 13): the shell's convention for a reader gone. */
const EXIT_OUTPUT_CLOSED = 141;

/**
 * A reader that stops reading (`ferry logs … | head`) ends us quietly, as it ends any Unix tool:
 * Node ignores SIGPIPE and reports EPIPE as an 'error' event, which would crash with a stack trace.
 */
function endQuietlyWhenOutputCloses(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(EXIT_OUTPUT_CLOSED);
    });
  }
}

endQuietlyWhenOutputCloses();
main(process.argv.slice(2)).then(
  (code) => exitWhenFlushed(code),
  (error: unknown) => {
    if (isInterrupted()) return; // the signal's handler ends us, once the program is let go
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`ferry: ${message}\n`);
    if (error instanceof UsageError) process.stderr.write(`${USAGE}\n`);
    exitWhenFlushed(exitStatusOf(error));
  },
);
