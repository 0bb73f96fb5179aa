// What a restore started on this machine is handed, so that the program gets back what it held:
// its open files at their descriptor numbers (restore/files.ts) and, past them, an IPC channel to
// the holder of its connections (connections/handover.ts, restore/connections.ts). `ferry restore`
// (cli/local.ts) and the debug adapter's Resume Locally (adapter/restored.ts) both start the
// restore runtime with it; a resume in the editor's terminal, whose process the editor starts, has
// it taken there by a launcher in front of the restore (terminal-handover.ts).
import type { Socket } from 'node:net';
import { takeFromHolder } from '../connections/handover';
import type { ConnectionsRecord } from '../format/connections';
import type { StoredManifest } from '../format/manifest';
import { FIRST_EXTRA_FD, handOverFiles } from '../restore/files';
import { heldFilesHere, workingDirectoryMapping } from '../restore/paths';

export interface RestoreHandover {
  /** spawn's stdio past the standard three: the held files at their numbers, then the channel to the holder. */
  extraStdio: Array<'ignore' | number | Socket>;
  /** For the restoring process's environment: NODE_CHANNEL_FD, when there is a channel. */
  env: Record<string, string>;
  /** The restore runtime's options for what it is handed. */
  runtimeArgs: string[];
  /** How many of the program's connections the restore takes (none: they are restored closed). */
  connections: number;
  /** Closes this process's copies; call it once the restore is spawned (spawn gave it its own). */
  close(): void;
}

/** `programCwd`: the directory the program runs in when not its own (`--cwd`), where its files are then. */
export async function restoreHandover(manifest: StoredManifest, programCwd?: string): Promise<RestoreHandover> {
  const connections = manifest.handles.connections;
  const channel = await connectionsChannel(connections);
  const mapping = workingDirectoryMapping(manifest.program.cwd, programCwd);
  const files = handOverFiles(heldFilesHere(manifest.handles.files ?? [], mapping));
  const close = () => {
    files.close();
    channel?.destroy();
  };
  if (!channel) return { extraStdio: files.extra, env: {}, runtimeArgs: [], connections: 0, close };
  return {
    // Its IPC channel to the holder (restore/connections.ts), past every descriptor the files take.
    extraStdio: [...files.extra, channel],
    env: { NODE_CHANNEL_FD: String(FIRST_EXTRA_FD + files.extra.length) },
    runtimeArgs: ['--take-connections'],
    connections: connections!.sockets.length,
    close,
  };
}

/**
 * What the launcher of a restore in the editor's terminal (terminal-handover.ts), given the
 * manifest in `handoverFile`, leaves beside it: how many connections it took, or why it could not
 * start the restore (its `ferry: …` message).
 */
export function terminalHandoverReport(handoverFile: string): { taken: string; failed: string } {
  return { taken: `${handoverFile}.taken`, failed: `${handoverFile}.failed` };
}

/**
 * The channel to the holder of the checkpoint's connections, for the restoring process; none when
 * there is nothing to take (the restore then has them closed, and says why).
 */
async function connectionsChannel(connections: ConnectionsRecord | undefined): Promise<Socket | undefined> {
  return connections?.holder ? takeFromHolder(connections.holder) : undefined;
}
