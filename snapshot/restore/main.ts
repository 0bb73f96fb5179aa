// The restore runtime: `node restore.js CHECKPOINT [--status-file PATH] [--cwd DIR] [--key-file F]`.
// One dependency-free file. It verifies the checkpoint before running any of its code, rebuilds
// the program's state, and hands over to the event loop. The program's stdout/stderr are ours; we
// exit with its exit code. Restore failures exit with 70 after writing a "failed" status line.
import { appendFileSync, readFileSync } from 'node:fs';
import { ServerListenError } from './rebuild';
import { restoreCheckpoint, type RestoredProgram } from './restore';

const EXIT_RESTORE_FAILED = 70;

function parseArgs(argv: string[]): { checkpoint: string; statusFile?: string; cwd?: string; keyFile?: string } {
  const out: { checkpoint?: string; statusFile?: string; cwd?: string; keyFile?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg.startsWith('--status-file')) out.statusFile = value();
    else if (arg.startsWith('--cwd')) out.cwd = value();
    else if (arg.startsWith('--key-file')) out.keyFile = value();
    else if (!arg.startsWith('--') && !out.checkpoint) out.checkpoint = arg;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!out.checkpoint) throw new Error('usage: node restore.js CHECKPOINT [--status-file PATH] [--cwd DIR] [--key-file FILE]');
  return out as { checkpoint: string };
}

function main(): void {
  let statusFile: string | undefined;
  let restored: RestoredProgram;
  const status = (event: Record<string, unknown>) => {
    if (statusFile) appendFileSync(statusFile, `${JSON.stringify(event)}\n`);
  };
  try {
    const args = parseArgs(process.argv.slice(2));
    statusFile = args.statusFile;
    const key = args.keyFile ? readFileSync(args.keyFile) : process.env.FERRY_KEY ? Buffer.from(process.env.FERRY_KEY) : undefined;
    restored = restoreCheckpoint(args.checkpoint, { cwd: args.cwd, hmacKey: key });
    status({ event: 'resumed', pid: process.pid });
    statusFile = undefined; // from here on, failures are the program's own
    // Programs that cooperate reopen here what they closed on ferry:checkpoint.
    process.emit('ferry:restore' as never);
  } catch (error) {
    const fail = (message: string): never => {
      status({ event: 'failed', error: message });
      process.stderr.write(`ferry restore: ${message}\n`);
      // For Ferry's own developers: where in the restore it failed.
      if (process.env.FERRY_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
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
