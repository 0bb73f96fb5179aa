// The `ferry` command (DESIGN §9). Parses arguments and dispatches to one module per command group.
import { parseArgs } from 'node:util';
import { checkpointCommand, inspectCommand, restoreLocally, runCommand, verifyCommand } from './cli/local';
import { CheckpointFormatError } from './format/checkpoint';

const USAGE = `usage:
  ferry run [--checkpoint-at FILE:LINE[#HIT]] [-o OUT] [--then continue|stop] -- SCRIPT [ARGS...]
  ferry checkpoint (--pid PID | --inspect HOST:PORT|WS_URL) [--at idle|here] [-o OUT] [--then continue|stop] [--key-file F] [--idle-timeout MS]
  ferry restore CHECKPOINT [--on HOST] [--ssh-config FILE] [--debug[=PORT]] [--detach] [--key-file F]
  ferry inspect CHECKPOINT [--json]
  ferry verify CHECKPOINT [--key-file F]`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const progress = (step: string) => {
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${step}…`);
  };
  const doneProgress = () => {
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
  };
  switch (command) {
    case 'run': {
      const dash = rest.indexOf('--');
      const own = dash >= 0 ? rest.slice(0, dash) : [];
      const program = dash >= 0 ? rest.slice(dash + 1) : rest;
      const { values } = parseArgs({ args: own, options: { 'checkpoint-at': { type: 'string' }, output: { type: 'string', short: 'o' }, then: { type: 'string' } } });
      if (values['checkpoint-at']) throw new UsageError('--checkpoint-at (Checkpoint Here) is not supported yet');
      if (program.length === 0) throw new UsageError('ferry run needs a script: ferry run -- SCRIPT [ARGS...]');
      return runCommand({ script: program[0], args: program.slice(1) });
    }
    case 'checkpoint': {
      const { values } = parseArgs({
        args: rest,
        options: {
          pid: { type: 'string' }, inspect: { type: 'string' }, at: { type: 'string', default: 'idle' },
          output: { type: 'string', short: 'o' }, then: { type: 'string', default: 'continue' }, 'key-file': { type: 'string' },
          'idle-timeout': { type: 'string', default: '10000' },
        },
      });
      if (values.at !== 'idle' && values.at !== 'here') throw new UsageError('--at takes idle or here');
      if (values.then !== 'continue' && values.then !== 'stop') throw new UsageError('--then takes continue or stop');
      const pid = values.pid !== undefined ? Number(values.pid) : undefined;
      if (pid !== undefined && !Number.isInteger(pid)) throw new UsageError(`--pid takes a process id, not "${values.pid}"`);
      await checkpointCommand({
        pid, inspect: values.inspect, at: values.at, then: values.then, keyFile: values['key-file'],
        idleTimeoutMs: Number(values['idle-timeout']),
        output: values.output ?? `${pid ?? 'program'}-${Date.now()}.ferry`,
        progress,
      }).finally(doneProgress);
      return 0;
    }
    case 'restore': {
      const { values, positionals } = parseArgs({
        args: rest, allowPositionals: true,
        options: { on: { type: 'string' }, 'ssh-config': { type: 'string' }, debug: { type: 'string' }, detach: { type: 'boolean' }, 'key-file': { type: 'string' } },
      });
      if (positionals.length !== 1) throw new UsageError('ferry restore takes one checkpoint file');
      if (values.on) throw new UsageError('--on HOST: remote restore is not wired into the CLI yet');
      const debug = values.debug === undefined ? undefined : values.debug === '' ? true : Number(values.debug);
      return restoreLocally({ checkpoint: positionals[0], keyFile: values['key-file'], debug });
    }
    case 'inspect': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean' }, 'key-file': { type: 'string' } } });
      if (positionals.length !== 1) throw new UsageError('ferry inspect takes one checkpoint file');
      inspectCommand(positionals[0], !!values.json, values['key-file']);
      return 0;
    }
    case 'verify': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { 'key-file': { type: 'string' } } });
      if (positionals.length !== 1) throw new UsageError('ferry verify takes one checkpoint file');
      verifyCommand(positionals[0], values['key-file']);
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command ? 0 : 2;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`ferry: ${message}\n`);
    if (error instanceof UsageError) process.stderr.write(`${USAGE}\n`);
    process.exit(error instanceof UsageError ? 2 : error instanceof CheckpointFormatError ? 3 : 1);
  },
);
