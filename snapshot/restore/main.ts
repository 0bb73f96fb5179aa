// The restore runtime: `node restore.js CHECKPOINT [--status-file PATH] [--cwd DIR] [--files DIR] [--key-file F] [--overwrite] [--failure-stack]`.
// One dependency-free file. It verifies the checkpoint before running any of its code, rebuilds
// the program's state, and hands over to the event loop. The program's stdout/stderr are ours; we
// exit with its exit code. Restore failures exit with 70 after writing a "failed" status line.
// The key of a signed checkpoint comes only from --key-file, read once (locally a FIFO, on a host a
// 0600 file): never from the environment, which is the program's.
import { appendFileSync } from 'node:fs';
import { removeFerryEnv } from '../format/ferry-env';
import { readKeyFile } from '../format/key';
import { ServerListenError } from './rebuild';
import { restoreCheckpoint, type RestoredProgram } from './restore';
import { readShippedFiles } from './working-files';

const EXIT_RESTORE_FAILED = 70;

interface Arguments {
  checkpoint: string;
  statusFile?: string;
  /** Run in this directory, not the program's own (restore/paths.ts). */
  cwd?: string;
  /** The working files a migration sent beside the checkpoint. */
  files?: string;
  keyFile?: string;
  overwrite?: boolean;
  /** Print the stack of a restore failure (for Ferry's developers: FERRY_DEBUG=1 ferry restore). */
  failureStack?: boolean;
}

function parseArgs(argv: string[]): Arguments {
  const out: Partial<Arguments> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg.startsWith('--status-file')) out.statusFile = value();
    else if (arg.startsWith('--cwd')) out.cwd = value();
    else if (arg.startsWith('--files')) out.files = value();
    else if (arg.startsWith('--key-file')) out.keyFile = value();
    else if (arg === '--overwrite') out.overwrite = true;
    else if (arg === '--failure-stack') out.failureStack = true;
    else if (!arg.startsWith('--') && !out.checkpoint) out.checkpoint = arg;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!out.checkpoint)
    throw new Error(
      'usage: node restore.js CHECKPOINT [--status-file PATH] [--cwd DIR] [--files DIR] [--key-file FILE] [--overwrite]',
    );
  return out as Arguments;
}

function main(): void {
  let statusFile: string | undefined;
  let failureStack = false;
  let restored: RestoredProgram;
  const status = (event: Record<string, unknown>) => {
    if (statusFile) appendFileSync(statusFile, `${JSON.stringify(event)}\n`);
  };
  try {
    const args = parseArgs(process.argv.slice(2));
    statusFile = args.statusFile;
    failureStack = !!args.failureStack;
    restored = restoreCheckpoint(args.checkpoint, {
      cwd: args.cwd,
      files: args.files === undefined ? undefined : readShippedFiles(args.files),
      hmacKey: args.keyFile ? readKeyFile(args.keyFile) : undefined,
      overwrite: args.overwrite,
    });
    // Whoever started us (a terminal, a host's login environment) or an older checkpoint may have put them there.
    removeFerryEnv(process.env);
    status({ event: 'resumed', pid: process.pid });
    statusFile = undefined; // from here on, failures are the program's own
    // Programs that cooperate reopen here what they closed on ferry:checkpoint.
    process.emit('ferry:restore' as never);
  } catch (error) {
    const fail = (message: string): never => {
      status({ event: 'failed', error: message });
      process.stderr.write(`ferry: ${message}\n`);
      // For Ferry's own developers: where in the restore it failed.
      if (failureStack && error instanceof Error) process.stderr.write(`${error.stack}\n`);
      process.exit(EXIT_RESTORE_FAILED);
    };
    // Node tells why at the next tick; none of the program runs before (no timer is armed yet).
    if (error instanceof ServerListenError) return error.whenKnown((why) => fail(`${error.message}: ${why.message}`));
    return fail(error instanceof Error ? error.message : String(error));
  }
  // Outside the try: what the resumed frames throw is the program's, uncaught as it would have been.
  restored.continueProgram();
}

main();
