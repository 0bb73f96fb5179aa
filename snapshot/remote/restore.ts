// `restore --on HOST`: probe, send, start detached, then either follow the run to its end
// (streaming its output, feeding its stdin, forwarding its ports and inspector) or leave it running.
import { Readable } from 'node:stream';
import { restoreRuntimePath } from '../assets';
import { releaseConnections } from '../restore/connections';
import { readCheckpointFile } from '../format/checkpoint';
import type { StoredManifest } from '../format/manifest';
import { follow, type RunEnd, type StatusEvent } from './follow';
import { launchRun, newRunId, runEntries, type LaunchedRun } from './launch';
import { relayable, startRelay } from './relay';
import { HandoverError } from '../connections/handover';
import type { ConnectionsRecord } from '../format/connections';
import { describePlacement, placeOnHost } from './placement';
import type { WorkingFile } from '../capture/workfiles';
import { freeLocalPort, parsePortMapping } from './ports';
import { createProgress } from './progress';
import { remoteInspectorUrl, signalRun, stopGivenUpRun, stopRun } from './runs';
import { onHostWords, RemoteSession, type HostOptions } from './session';
import { shq } from './shell';
import { forwardStdin } from './stdin';
import { hashEntries } from './sync';
import { privateInspectorFlags } from '../target/launch';

export interface RemoteRestoreOptions extends HostOptions {
  checkpoint: string;
  /** The restore runtime to ship; default dist/restore.js next to this bundle. */
  runtime?: string;
  files?: WorkingFile[];
  /** The HMAC key of a signed checkpoint (checked here before anything is sent, and by the restore on the host). */
  key?: Buffer;
  /** Start with the inspector on the host's loopback, forwarded here: true picks a free local port. */
  debug?: boolean | number;
  /** Leave the run going once it has resumed (or, with debug, once its inspector is up). */
  detach?: boolean;
  /** Ports the restored program listens on, forwarded back to this machine's loopback: 8080 or LOCAL:REMOTE. */
  forwardPorts?: Array<number | string>;
  /** Keep the run directory after a foreground run ends (it is always kept when detached or cut off). */
  keepRun?: boolean;
  /** Progress lines on stderr; default when stderr is a terminal. */
  progress?: boolean;
  /** Run the program in this directory on the host, not the one it ran in (placement.ts). */
  cwd?: string;
  /** Put back the checkpoint's copies of the program's files that changed there since (restore/working-files.ts). */
  overwrite?: boolean;
  /** Have the holder close the program's connections (they are restored closed) instead of relaying them. */
  closeConnections?: boolean;
}

export interface RunIo {
  /** Fed to the program's stdin; default none (the program sees end of input). */
  stdin?: Readable;
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
  /** Ferry's own messages (where the run is, the inspector URL, warnings). */
  notice(text: string): void;
}

export interface RemoteRestoreResult {
  host: string;
  run: LaunchedRun;
  end: RunEnd;
  /** The local ws:// URL of the forwarded inspector, with --debug. */
  inspectorUrl?: string;
  /** The restore failed before the program resumed; its reason. */
  failure?: string;
  /** The program's connections, relayed from here by a stub (remote/relay.ts). */
  relay?: RelayedConnections;
  timings: { connectMs: number; sendMs: number; resumedMs?: number };
}

/** A run's connections left on this machine with the stub that relays them. */
export interface RelayedConnections {
  stubPid: number;
  connections: number;
}

/** One remote restore in progress: what each phase of restoreRemote reads and adds to. */
interface RemoteRestore {
  options: RemoteRestoreOptions;
  io: RunIo;
  progress: ReturnType<typeof createProgress>;
  started: number;
  session: RemoteSession;
  run: LaunchedRun;
  tunnels: Array<{ local: number; remote: number }>;
  connectMs: number;
  sendMs: number;
  resumedMs?: number;
  /** The restore failed before the program resumed (or the run reported a failure). */
  failure?: string;
  relay?: RelayedConnections;
}

export async function restoreRemote(options: RemoteRestoreOptions, io: RunIo): Promise<RemoteRestoreResult> {
  const state = await sendRun(options, io);
  const { session, run } = state;
  let stdin: ReturnType<typeof forwardStdin> | undefined;
  const interrupt = () => void signalRun(session, run.dir, 'INT').catch(() => {});
  try {
    const inspectorUrl = options.debug ? await forwardInspector(state) : undefined;
    const following = await followRun(state);
    if (!options.debug) state.progress.step(`restoring on ${session.host.label}`);
    if (options.detach && options.debug) {
      following.detach();
      const [tunnel] = state.tunnels;
      io.notice(session.host.forwardAdvice(tunnel.local, tunnel.remote));
    } else if (options.detach) {
      await following.resumed;
      if (!state.failure) following.detach();
    } else {
      stdin = forwardStdin(session, run.dir, io.stdin ?? Readable.from([]));
      process.on('SIGINT', interrupt);
    }
    void following.resumed.then(() => forwardPortsOnceResumed(state));
    const end = await following.end;
    state.progress.done();
    await settleRun(state, end);
    const { connectMs, sendMs, resumedMs, failure, relay } = state;
    const timings = { connectMs, sendMs, resumedMs };
    return { host: session.host.label, run, end, inspectorUrl, failure, relay, timings };
  } catch (error) {
    const leftThere = await stopGivenUpRun(session, run.id, options);
    if (leftThere) io.notice(leftThere);
    throw error;
  } finally {
    process.off('SIGINT', interrupt);
    stdin?.stop();
    if (!options.detach)
      for (const tunnel of state.tunnels) await session.host.cancelForward(tunnel.local, tunnel.remote).catch(() => {});
  }
}

/** Verifies the checkpoint, connects, places the program on the host and sends its run. */
async function sendRun(options: RemoteRestoreOptions, io: RunIo): Promise<RemoteRestore> {
  const progress = createProgress(options.progress);
  const started = Date.now();
  // Verified here first: a damaged, foreign or tampered checkpoint never reaches the host. A stand-in
  // runtime (tests) brings its own checkpoint format, which only it reads.
  const manifest = options.runtime
    ? undefined
    : readCheckpointFile<StoredManifest>(options.checkpoint, { hmacKey: options.key }).manifest;
  const connections = manifest?.handles.connections;
  const relayed = !options.closeConnections && relayable(connections);
  // Not relayed (asked so, or nothing of ours holds them): their holder here lets them go.
  if (connections && !relayed) restoredClosed(io, options.host, await releaseConnections(connections), connections);
  const launchOptions = {
    checkpoint: options.checkpoint,
    runtime: options.runtime ?? restoreRuntimePath(),
    files: options.files,
    key: options.key,
    nodeArgs: options.debug ? privateInspectorFlags(true) : [],
    overwrite: options.overwrite,
    progress,
  };
  const wanted = await hashEntries(runEntries(launchOptions));
  const session = await RemoteSession.open(options, wanted, progress);
  const placement = manifest && (await placeOnHost(session, manifest.program.cwd, options.cwd));
  const connectMs = Date.now() - started;
  if (placement) {
    progress.done();
    io.notice(describePlacement(placement, session.host.label));
  }
  const id = newRunId();
  const relay = relayed ? await relayConnections(session, connections, id, io) : undefined;
  progress.step(`sending to ${session.host.label}`);
  const run = await launchRun(session, { ...launchOptions, placement, id, relay: !!relay });
  const sendMs = Date.now() - started - connectMs;
  return { options, io, progress, started, session, run, tunnels: [], connectMs, sendMs, relay };
}

/** The stub that relays the connections to the run, started; none (and they are restored closed) when their holder is gone. */
async function relayConnections(
  session: RemoteSession,
  connections: ConnectionsRecord,
  runId: string,
  io: RunIo,
): Promise<RelayedConnections | undefined> {
  try {
    const stubPid = await startRelay(session, connections, runId);
    io.notice(
      `the program's ${connections.sockets.length} connection(s) stay here, relayed to ${session.host.label} by a stub (pid ${stubPid}) that ends with the run`,
    );
    return { stubPid, connections: connections.sockets.length };
  } catch (error) {
    if (!(error instanceof HandoverError)) throw error;
    restoredClosed(io, session.host.label, error.message, connections);
    return undefined;
  }
}

function restoredClosed(io: RunIo, host: string, why: string, connections: ConnectionsRecord): void {
  io.notice(
    `warning: the program's ${connections.sockets.length} connection(s) are restored closed on ${host}: ${why}`,
  );
}

/** --debug: the restore's inspector on the host's loopback, forwarded to a local port; its local URL. */
async function forwardInspector(state: RemoteRestore): Promise<string> {
  const { options, session, progress } = state;
  progress.step('waiting for the remote inspector');
  const remoteUrl = new URL(await remoteInspectorUrl(session, state.run.id));
  const local = typeof options.debug === 'number' ? options.debug : await freeLocalPort();
  await session.forward(local, Number(remoteUrl.port));
  state.tunnels.push({ local, remote: Number(remoteUrl.port) });
  const inspectorUrl = `ws://127.0.0.1:${local}${remoteUrl.pathname}`;
  progress.done();
  state.io.notice(
    `the restore waits for a debugger at ${inspectorUrl} (forwarded to ${session.host.label}'s loopback port ${remoteUrl.port})`,
  );
  return inspectorUrl;
}

/** Follows the run's output and status; `resumed` settles once it resumed, failed or ended. */
async function followRun(state: RemoteRestore) {
  const { options, io, session, run } = state;
  const resumed = createLatch();
  const following = await follow(session, run.id, {
    stdout: options.detach ? undefined : io.stdout,
    stderr: options.detach ? undefined : io.stderr,
    status(event: StatusEvent) {
      if (event.event === 'resumed') {
        state.resumedMs = Date.now() - state.started;
        // The restore read its key when it started: it need not stay on the host while the program runs.
        if (options.key) void session.host.exec(`rm -f ${shq(`${run.dir}/key`)}`).catch(() => {});
        state.progress.done();
        resumed.open();
      } else if (event.event === 'failed') {
        state.failure = String((event as { error?: unknown }).error ?? 'unknown error');
        resumed.open();
      }
    },
  });
  void following.end.then(() => resumed.open());
  return { ...following, resumed: resumed.opened };
}

/** --forward: the ports the restored program listens on, reached from here once it has resumed. */
async function forwardPortsOnceResumed(state: RemoteRestore): Promise<void> {
  if (state.failure || state.resumedMs === undefined) return;
  const host = state.session.host;
  for (const spec of state.options.forwardPorts ?? []) {
    const mapping = parsePortMapping(spec);
    try {
      await state.session.forward(mapping.local, mapping.remote);
      state.tunnels.push(mapping);
      state.io.notice(`localhost:${mapping.local} now reaches port ${mapping.remote} on ${host.label}`);
    } catch (error) {
      state.io.notice(`warning: ${(error as Error).message}`);
    }
  }
}

/** Says how the run ended here, and removes it from the host when nothing is left to follow. */
async function settleRun(state: RemoteRestore, end: RunEnd): Promise<void> {
  const { options, io, session, run } = state;
  const label = session.host.label;
  const finished = end.kind === 'exited' || end.kind === 'vanished';
  if (end.kind === 'detached') {
    io.notice(describeDetached(options, run.id, label));
  } else if (end.kind === 'error') {
    io.notice(
      `${end.error.message}. The run goes on there: follow it with \`ferry logs ${onHostWords(options)} ${run.id}\`, end it with \`ferry stop ${onHostWords(options)} ${run.id}\`.`,
    );
  } else if (end.kind === 'vanished') {
    io.notice(
      `the run ${run.id} on ${label} ended without an exit code: its supervisor is gone (killed, or the host restarted)${end.left ? ` (${end.left})` : ''}`,
    );
  }
  const neverResumed = state.failure !== undefined && state.resumedMs === undefined;
  // A restore that never resumed leaves nothing behind; a finished foreground run has delivered its output.
  if ((neverResumed && finished) || (finished && !options.keepRun && !options.detach))
    await stopRun(session, run.id, true);
  if (neverResumed) state.failure = `the restore on ${label} failed: ${state.failure}`;
}

function describeDetached(options: RemoteRestoreOptions, runId: string, host: string): string {
  const on = onHostWords(options);
  return [
    `running on ${host} as ${runId}`,
    `  follow its output:  ferry logs ${on} ${runId}`,
    `  list runs:          ferry ps ${on}`,
    `  stop it:            ferry stop ${on} ${runId} [--remove]`,
  ].join('\n');
}

function createLatch(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}
