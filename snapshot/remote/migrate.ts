// `migrate --on HOST` (and `--clone`): checkpoint a running program and continue it on the host.
// Atomic handover: the origin stays frozen until the host reports "resumed" (its servers listening
// again); on any failure before that (SSH down, no Node, disk full, restore error, a port taken,
// the freeze timing out, Ctrl-C) the origin goes on and the error says why.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { restoreRuntimePath, runSupervisorScript } from '../assets';
import { openNamedProgram, type TargetSession } from '../capture/target-session';
import { resumeTarget, writeCheckpoint, writeCheckpointThen } from '../checkpoint';
import { callInTarget } from '../cdp/in-target';
import type { CdpConnection } from '../cdp/connection';
import { RemoteError } from './errors';
import { awaitResumed, follow, verdictOf, type RunEnd } from './follow';
import { describePlacement, placeOnHost } from './placement';
import { listenAgain, releaseListeningSockets, type ReleasedServers } from './origin-servers';
import { createProgress } from './progress';
import type { RunIo } from './restore';
import { stopGivenUpRun, stopRun } from './runs';
import { RemoteSession, type HostOptions } from './session';
import { hashEntries } from './sync';
import type { CheckpointManifest } from '../format/manifest';
import type { ConnectionsRecord } from '../format/connections';
import { releaseConnections } from '../restore/connections';
import { launchRun, newRunId, type LaunchedRun } from './launch';
import { sharesOurNetwork } from './probe';
import { relayable, startRelay } from './relay';

export interface MigrateOptions extends HostOptions {
  /** The program: its pid (its inspector is opened with SIGUSR1) or an inspector address. */
  pid?: number;
  inspect?: string;
  /** Restore on the host and let the origin go on too (rfork). */
  clone?: boolean;
  /** Stay attached after the handover: stream the program's output here until it exits. */
  follow?: boolean;
  /** With follow: forward the ports of the program's listening servers back to this machine's loopback. */
  forwardServers?: boolean;
  idleTimeoutMs?: number;
  /** The longest the origin stays frozen: past it (or at Ctrl-C) the migration is given up and the origin goes on. */
  freezeTimeoutMs?: number;
  progress?: boolean;
  /** Run the program in this directory on the host, not the one it runs in here (placement.ts). */
  cwd?: string;
  /** Put back the checkpoint's copies of the program's files that changed on the host since (another run's). */
  overwrite?: boolean;
  /**
   * Close idle keep-alive connections at the idle point and wait for the others, as before there
   * was a stub; by default they stay here, relayed to the host by a stub (remote/relay.ts).
   */
  closeConnections?: boolean;
}

export const DEFAULT_FREEZE_TIMEOUT_MS = 60_000;
/** How long a restore given up is given to stop before the origin takes its ports back anyway. */
const STOP_BEFORE_THAW_MS = 5_000;

export interface MigrateResult {
  host: string;
  run: LaunchedRun;
  /** Origin frozen → remote resumed, in ms. */
  downtimeMs: number;
  /** Its parts: capturing and writing the checkpoint; sending it and restoring it until the host reports resumed. */
  captureMs: number;
  handoverMs: number;
  /** From the call to the handover, connecting and probing included. */
  totalMs: number;
  /** With follow: how the run ended. */
  end?: RunEnd;
}

/** One migration in progress: what each of its phases reads and adds to. */
interface Migration {
  options: MigrateOptions;
  io: RunIo;
  progress: ReturnType<typeof createProgress>;
  startedAt: number;
  runtime: string;
  session: RemoteSession;
  origin: TargetSession;
  attached: { url: string; release(): Promise<void> };
  placement: Awaited<ReturnType<typeof placeOnHost>>;
  freeze: FreezeBound;
  workDir: string;
  run?: LaunchedRun;
  launching?: Promise<LaunchedRun>;
  released?: ReleasedServers;
  /** The connections handed to a holder on this machine, to relay: released if the migration is given up. */
  held?: ConnectionsRecord;
  runReportedFailure: boolean;
  handedOver: boolean;
}

export async function migrate(options: MigrateOptions, io: RunIo): Promise<MigrateResult> {
  const migration = await prepareMigration(options, io);
  try {
    const { result, checkpoint } = await handOver(migration);
    if (options.follow) result.end = await followMigrated(migration, result.run, checkpoint.manifest);
    return result;
  } catch (error) {
    if (!migration.handedOver) await thawAfterFailure(migration, error);
    throw error;
  } finally {
    migration.freeze.end();
    // The inspector we opened is closed on every path: handed over (--clone), refused, or failed.
    await migration.origin.cdp.close().catch(() => {});
    await migration.attached.release();
    rmSync(migration.workDir, { recursive: true, force: true });
  }
}

/** Everything that does not need the checkpoint, before the origin is frozen: connect, attach, place. */
async function prepareMigration(options: MigrateOptions, io: RunIo): Promise<Migration> {
  const startedAt = Date.now();
  const progress = createProgress(options.progress);
  const runtime = restoreRuntimePath();
  const ahead = await hashEntries([
    { target: 'lib/restore.js', source: runtime },
    { target: 'lib/launcher.sh', source: runSupervisorScript() },
  ]);
  const session = await RemoteSession.open(options, ahead, progress);
  await session.sync(ahead);
  const { attached, session: origin } = await openNamedProgram(options);
  // Where it will run there is settled while it still runs here: a directory the host refuses ends the migration untouched.
  const placement = await placeOnHost(session, await programCwd(origin.cdp), options.cwd).catch(async (error) => {
    await origin.cdp.close().catch(() => {});
    await attached.release();
    throw error;
  });
  progress.done();
  io.notice(describePlacement(placement, session.host.label));
  return {
    options,
    io,
    progress,
    startedAt,
    runtime,
    session,
    origin,
    attached,
    placement,
    freeze: boundFreeze(options.freezeTimeoutMs ?? DEFAULT_FREEZE_TIMEOUT_MS, session.host.label),
    workDir: mkdtempSync(path.join(os.tmpdir(), 'ferry-migrate-')),
    runReportedFailure: false,
    handedOver: false,
  };
}

/** The freeze: checkpoint, send, restore there until it reports resumed; then end (or, --clone, thaw) the origin. */
async function handOver(migration: Migration) {
  const { options, progress, session, origin, freeze } = migration;
  progress.step('checkpointing');
  const frozenAt = Date.now();
  // Its working files travel beside the checkpoint (content-addressed), not inside it.
  const request = {
    at: 'idle' as const,
    output: path.join(migration.workDir, 'checkpoint.ferry'),
    idleTimeoutMs: options.idleTimeoutMs,
    workingFiles: false,
    onProgress: (step: string) => progress.step(step),
  };
  // Moved, the program is ended once the host has it: its connections go to a holder here, as
  // under `--then stop` (and VS Code's Migrate), which relays them there. Cloned, it keeps them.
  const carry = !options.clone && !options.closeConnections;
  const checkpoint = await freeze.within(
    carry ? writeCheckpointThen(origin, 'stop', request) : writeCheckpoint(origin, request),
  );
  const captureMs = Date.now() - frozenAt;
  const id = newRunId();
  const relay = carry && (await freeze.within(relayConnections(migration, checkpoint, id)));
  // The host may share this machine's addresses: the origin lets go of its ports for the restored servers
  // (unless a stub keeps them here, relaying what comes to the host, which has addresses of its own).
  if (!options.clone && !(relay && !sharesOurNetwork(session.probe)))
    migration.released = await freeze.within(releaseListeningSockets(origin));
  progress.step(`sending to ${session.host.label}`);
  // Its files are shipped only when the program runs on this machine (not behind --inspect HOST:PORT).
  migration.launching = launchRun(session, {
    checkpoint: checkpoint.path,
    runtime: migration.runtime,
    progress,
    files: checkpoint.workingFiles,
    placement: migration.placement,
    awaitStatusMs: 10_000,
    overwrite: options.overwrite,
    id,
    relay,
  });
  const run = (migration.run = await freeze.within(migration.launching));
  progress.step(`restoring on ${session.host.label}`);
  const told = verdictOf(run.status, session.host.label);
  const why = told === null ? await freeze.within(awaitResumed(session, run.id)) : told;
  migration.runReportedFailure = !!why;
  if (why) throw new RemoteError('restore-failed', why);
  const resumedAt = Date.now();
  const downtimeMs = resumedAt - frozenAt;
  migration.handedOver = true;
  freeze.end();
  if (options.clone) await resumeTarget(origin);
  else process.kill(checkpoint.manifest.program.pid, 'SIGKILL');
  progress.done();
  migration.io.notice(
    `${options.clone ? 'cloned' : 'moved'} to ${session.host.label} as ${run.id} (${options.clone ? 'the original goes on' : 'the original is ended'}; program frozen ${downtimeMs} ms)`,
  );
  const result: MigrateResult = {
    host: session.host.label,
    run,
    downtimeMs,
    captureMs,
    handoverMs: downtimeMs - captureMs,
    totalMs: resumedAt - migration.startedAt,
  };
  return { result, checkpoint };
}

/**
 * The holder of the program's connections here (the origin keeps its own copies until it is
 * ended) relays them to the run `id`; false when it has none.
 */
async function relayConnections(
  migration: Migration,
  checkpoint: Awaited<ReturnType<typeof writeCheckpoint>>,
  id: string,
): Promise<boolean> {
  const connections = checkpoint.manifest.handles.connections;
  if (!relayable(connections)) return false;
  migration.held = connections;
  const pid = await startRelay(migration.session, connections, id);
  migration.io.notice(
    `the program's ${connections.sockets.length} connection(s) stay here, relayed to ${migration.session.host.label} by a stub (pid ${pid}) that ends with the run`,
  );
  return true;
}

/** --follow: the run's output here until it ends, with --forward-servers its ports reached from here. */
async function followMigrated(migration: Migration, run: LaunchedRun, manifest: CheckpointManifest): Promise<RunEnd> {
  const { options, io, session } = migration;
  const ports =
    options.forwardServers && !options.clone
      ? manifest.handles.servers.flatMap((server) => (server.port ? [server.port] : []))
      : [];
  for (const port of ports) {
    await session.forward(port, port).then(
      () => io.notice(`localhost:${port} now reaches port ${port} on ${session.host.label}`),
      (error: Error) => io.notice(`warning: ${error.message}`),
    );
  }
  const following = await follow(session, run.id, { stdout: io.stdout, stderr: io.stderr });
  const end = await following.end;
  for (const port of ports) await session.host.cancelForward(port, port).catch(() => {});
  return end;
}

/** A migration given up before the handover: the origin takes its ports back and goes on; the error says why. */
async function thawAfterFailure(migration: Migration, error: unknown): Promise<never> {
  const { session, origin, run, launching, released } = migration;
  migration.freeze.end();
  // A restore given up may be running there: it must not keep the ports the origin takes back.
  if (run && !migration.runReportedFailure)
    await withinMs(stopRun(session, run.id, true), STOP_BEFORE_THAW_MS).catch(() => {});
  // The stub's copies go (the origin has its own): the ports it kept are the origin's alone again.
  if (migration.held) await releaseConnections(migration.held).catch(() => undefined);
  const lost = released ? await listenAgain(origin, released) : [];
  await resumeTarget(origin);
  const givenUp = run ?? (await launching?.catch(() => undefined));
  const leftThere = givenUp ? await stopGivenUpRun(session, givenUp.id, migration.options) : '';
  migration.progress.done();
  const unheard = lost.length > 0 ? `, but could not listen again on ${lost.join(', ')}` : '';
  throw new RemoteError(
    error instanceof RemoteError ? error.reason : 'restore-failed',
    `${(error as Error).message}; the program goes on here, where it was${unheard}${leftThere ? `. ${leftThere}` : ''}`,
  );
}

/** The program's working directory, asked while it runs. */
async function programCwd(cdp: CdpConnection): Promise<string> {
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
    expression: callInTarget(() => process.cwd()),
    returnByValue: true,
  });
  if (exceptionDetails || typeof result.value !== 'string')
    throw new Error(`cannot read the program's working directory: ${exceptionDetails?.text ?? 'no answer'}`);
  return result.value;
}

interface FreezeBound {
  /** The step, or a rejection once the freeze is over its time or the user pressed Ctrl-C. */
  within<T>(step: Promise<T>): Promise<T>;
  end(): void;
}

/** Bounds the origin's freeze: `timeoutMs`, or until SIGINT (Ctrl-C), which cancels the migration. */
function boundFreeze(timeoutMs: number, hostLabel: string): FreezeBound {
  let cancel!: (error: Error) => void;
  const cancelled = new Promise<never>((_, reject) => (cancel = reject));
  cancelled.catch(() => undefined);
  const timer = setTimeout(
    () =>
      cancel(
        new RemoteError(
          'restore-failed',
          `the program was not up on ${hostLabel} within ${timeoutMs} ms of the freeze (--freeze-timeout)`,
        ),
      ),
    timeoutMs,
  );
  const interrupt = () => cancel(new RemoteError('restore-failed', 'the migration was cancelled (SIGINT)'));
  process.on('SIGINT', interrupt);
  return {
    within<T>(step: Promise<T>) {
      step.catch(() => undefined); // given up: its late failure is nobody's
      return Promise.race([step, cancelled]);
    },
    end() {
      clearTimeout(timer);
      process.off('SIGINT', interrupt);
    },
  };
}

function withinMs<T>(step: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    step,
    new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms))),
  ]).finally(() => clearTimeout(timer));
}
