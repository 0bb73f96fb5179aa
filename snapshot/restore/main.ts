// The restore runtime: `node restore.js CHECKPOINT [--status-file PATH] [--cwd DIR] [--files DIR] [--key-file F] [--overwrite] [--take-connections | --relay FILE] [--failure-stack]`.
// One dependency-free file. It verifies the checkpoint before running any of its code, rebuilds
// the program's state, and hands over to the event loop. The program's stdout/stderr are ours; we
// exit with its exit code. Restore failures exit with 70 after writing a "failed" status line.
// The key of a signed checkpoint comes only from --key-file, read once (locally a FIFO, on a host a
// 0600 file): never from the environment, which is the program's. With --take-connections, the
// program's connections come first from their holder, over the IPC channel `ferry restore` gave us;
// with --relay, on a host, they stay on the origin and come relayed (restore/relayed.ts); without
// either their holder is told to close them (restore/connections.ts).
import { appendFileSync } from 'node:fs';
import { removeFerryEnv } from '../format/ferry-env';
import { readKeyFile } from '../format/key';
import { ServerListenError } from './net-handles';
import { restoreCheckpoint, type RestoredProgram } from './restore';
import { releaseConnections, takeConnections, type TakenConnections } from './connections';
import { relayedConnections } from './relayed';
import { readCheckpointFile, type DecodedCheckpoint } from '../format/checkpoint';
import type { StoredManifest } from '../format/manifest';
import { checkManifest } from './validate';
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
  /** Take the program's connections from their holder first (restore/connections.ts). */
  takeConnections?: boolean;
  /** The relay's file on a host: the connections stay on the origin, relayed (restore/relayed.ts). */
  relay?: string;
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
    else if (arg === '--take-connections') out.takeConnections = true;
    else if (arg.startsWith('--relay')) out.relay = value();
    else if (arg === '--failure-stack') out.failureStack = true;
    else if (!arg.startsWith('--') && !out.checkpoint) out.checkpoint = arg;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!out.checkpoint)
    throw new Error(
      'usage: node restore.js CHECKPOINT [--status-file PATH] [--cwd DIR] [--files DIR] [--key-file FILE] [--overwrite] [--take-connections | --relay FILE]',
    );
  return out as Arguments;
}

/** Reports a restore that failed before the program went on, and exits. */
class Failure {
  statusFile?: string;
  failureStack = false;

  status(event: Record<string, unknown>): void {
    if (this.statusFile) appendFileSync(this.statusFile, `${JSON.stringify(event)}\n`);
  }

  report(error: unknown): void {
    const fail = (message: string): never => {
      this.status({ event: 'failed', error: message });
      process.stderr.write(`ferry: ${message}\n`);
      // For Ferry's own developers: where in the restore it failed.
      if (this.failureStack && error instanceof Error) process.stderr.write(`${error.stack}\n`);
      process.exit(EXIT_RESTORE_FAILED);
    };
    // Node tells why at the next tick; none of the program runs before (no timer is armed yet).
    if (error instanceof ServerListenError) return error.whenKnown((why) => fail(`${error.message}: ${why.message}`));
    fail(error instanceof Error ? error.message : String(error));
  }
}

function main(): void {
  const failure = new Failure();
  let args: Arguments;
  let checkpoint: DecodedCheckpoint<StoredManifest>;
  try {
    args = parseArgs(process.argv.slice(2));
    failure.statusFile = args.statusFile;
    failure.failureStack = !!args.failureStack;
    // Verified before anything else: a damaged or foreign checkpoint asks no holder for anything.
    checkpoint = readCheckpointFile<StoredManifest>(args.checkpoint, {
      hmacKey: args.keyFile ? readKeyFile(args.keyFile) : undefined,
    });
    checkManifest(checkpoint.manifest); // its connections record among the rest
  } catch (error) {
    return failure.report(error);
  }
  connectionsFor(checkpoint.manifest, args).then(
    // Not in this reaction itself: what the resumed frames throw would reject its promise, an
    // unhandled rejection to the program; a queued microtask's throw is uncaught, as in the original.
    (taken) => queueMicrotask(() => restore(args, checkpoint, failure, taken)),
    (error: Error) => failure.report(new Error(`cannot take the program's connections: ${error.message}`)),
  );
}

/** The program's connections taken from their holder, relayed from it, or (neither) released, with a warning. */
async function connectionsFor(manifest: StoredManifest, args: Arguments): Promise<TakenConnections | undefined> {
  const connections = manifest.handles.connections;
  if (!connections) return undefined;
  if (args.takeConnections) return takeConnections();
  if (args.relay) return { handles: await relayedConnections(connections, args.relay), release: () => undefined };
  const why = await releaseConnections(connections);
  process.stderr.write(
    `ferry: warning: the program's ${connections.sockets.length} connection(s) are restored closed and its servers listen anew: ${why}\n`,
  );
  return undefined;
}

function restore(
  args: Arguments,
  checkpoint: DecodedCheckpoint<StoredManifest>,
  failure: Failure,
  taken?: TakenConnections,
): void {
  let restored: RestoredProgram;
  try {
    restored = restoreCheckpoint(checkpoint, {
      cwd: args.cwd,
      files: args.files === undefined ? undefined : readShippedFiles(args.files),
      overwrite: args.overwrite,
      connections: taken?.handles,
    });
    taken?.release();
    // Whoever started us (a terminal, a host's login environment) or an older checkpoint may have put them there.
    removeFerryEnv(process.env);
    failure.status({ event: 'resumed', pid: process.pid });
    failure.statusFile = undefined; // from here on, failures are the program's own
    // Programs that cooperate reopen here what they closed on ferry:checkpoint.
    process.emit('ferry:restore' as never);
  } catch (error) {
    return failure.report(error);
  }
  // Outside the try: what the resumed frames throw is the program's, uncaught as it would have been.
  restored.continueProgram();
}

main();
