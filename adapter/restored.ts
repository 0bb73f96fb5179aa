// A program resumed from a checkpoint, under the debugger: the restore runtime started with its
// inspector waiting for us, here (a child process) or on an SSH host (a detached run whose
// inspector is forwarded to this machine's loopback).
import { dirname } from 'node:path';
import { restoreRuntimePath } from '../snapshot/assets';
import { CdpConnection } from '../snapshot/cdp/connection';
import { readCheckpointFile } from '../snapshot/format/checkpoint';
import type { StoredManifest } from '../snapshot/format/manifest';
import { checkpointKey, keyPipe } from '../snapshot/format/key';
import { WorkingDirectoryRefused } from '../snapshot/remote/placement';
import { restoreRemote, type RelayedConnections } from '../snapshot/remote/restore';
import { stopRun } from '../snapshot/remote/runs';
import { RemoteSession } from '../snapshot/remote/session';
import { restoreHandover } from '../snapshot/target/restore-handover';
import type { LaunchArguments } from './config';
import { TargetError, launchTarget, type RunInTerminal, type Target } from './target';

export interface RestoreArguments extends LaunchArguments {
  checkpoint: string;
}

/** The body of the event `ferry/resumed`: a restored program runs (what the extension shows of it). */
export interface ResumedBody {
  checkpoint?: string;
  /** The host it runs on, and its run there; neither for a program resumed here. */
  host?: string;
  runId?: string;
  /** Its connections, left on this machine with a stub that relays them to the host. */
  relay?: RelayedConnections;
  /** How many of its connections it took here from their holder (a checkpoint that stopped the program). */
  taken?: number;
}

/** What a restore tells the user: notes on its way (the Debug Console). */
export interface RestoreReport {
  log(text: string): void;
}

export async function restoreTarget(
  args: RestoreArguments,
  runInTerminal: RunInTerminal,
  report: RestoreReport,
): Promise<Target> {
  let key: Buffer | undefined;
  let manifest: StoredManifest;
  try {
    key = checkpointKey();
    // A damaged, foreign or wrongly signed file is refused before any process starts.
    manifest = readCheckpointFile<StoredManifest>(args.checkpoint, { hmacKey: key }).manifest;
  } catch (error) {
    throw new TargetError(`cannot resume ${args.checkpoint}: ${(error as Error).message}`);
  }
  if (!args.host) return restoreHere(args, runInTerminal, key, manifest);
  const hostOptions = { host: args.host, sshConfig: args.sshConfigFile };
  let restored;
  try {
    restored = await restoreRemote(
      {
        ...hostOptions,
        checkpoint: args.checkpoint,
        key,
        cwd: args.hostCwd,
        debug: true,
        detach: true,
        progress: false,
      },
      {
        stdout: () => {},
        stderr: () => {},
        notice: (text) => report.log(`Ferry: ${text}`),
      },
    );
  } catch (error) {
    const why =
      error instanceof WorkingDirectoryRefused
        ? error.explain(
            `Set ferry.hostWorkingDirectory (or "hostCwd" in a launch configuration) to a directory on ${args.host} to run it there`,
          )
        : (error as Error).message;
    throw new TargetError(`cannot resume on ${args.host}: ${why}`);
  }
  if (!restored.inspectorUrl)
    throw new TargetError(`cannot resume on ${args.host}: ${restored.failure ?? 'its inspector did not open'}`);
  const runId = restored.run.id;
  const stop = async () => {
    await stopRun(await RemoteSession.open(hostOptions, []), runId, false);
  };
  try {
    return {
      cdp: await CdpConnection.connect(restored.inspectorUrl),
      launched: true,
      remote: { host: restored.host, runId, stop, relay: restored.relay },
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw new TargetError(
      `cannot connect to the inspector of run ${runId} on ${args.host}: ${(error as Error).message}`,
    );
  }
}

/**
 * The restore runtime as a child (or in the terminal) under the debugger, its key handed over a
 * pipe it reads once, and, as `ferry restore` has them, the program's held files and the channel
 * to the holder of its connections (in the terminal, whose process the editor starts, a launcher
 * in front of the restore takes them there: adapter/target.ts).
 */
async function restoreHere(
  args: RestoreArguments,
  runInTerminal: RunInTerminal,
  key: Buffer | undefined,
  manifest: StoredManifest,
): Promise<Target> {
  const inTerminal = args.console === 'integratedTerminal';
  const handover = inTerminal ? undefined : await restoreHandover(manifest);
  const pipe = key && keyPipe(key);
  const runtimeArgs = [
    args.checkpoint,
    ...(pipe ? ['--key-file', pipe.path] : []),
    ...(args.overwrite ? ['--overwrite'] : []),
    ...(handover?.runtimeArgs ?? []),
  ];
  try {
    const target = await launchTarget(
      { ...args, program: restoreRuntimePath(), args: runtimeArgs, cwd: args.cwd ?? dirname(args.checkpoint) },
      runInTerminal,
      handover ?? { manifest },
    );
    if (pipe) target.cdp.onClose(pipe.close);
    return handover ? { ...target, connectionsTaken: handover.connections } : target;
  } catch (error) {
    pipe?.close();
    throw error;
  } finally {
    handover?.close();
  }
}
