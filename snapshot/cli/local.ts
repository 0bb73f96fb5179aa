// The local commands of the `ferry` CLI: run, checkpoint, restore (on this machine), release, inspect, verify.
import { spawn, type ChildProcess } from 'node:child_process';
import { openNamedProgram, type TargetSession } from '../capture/target-session';
import { letGoOnInterrupt } from './interrupt';
import { launchWithInspector } from '../target/launch';
import { readCheckpointFile } from '../format/checkpoint';
import { checkManifest, readCheckpointContents } from '../restore/validate';
import { withoutFerryEnv } from '../format/ferry-env';
import { checkpointKey, keyPipe } from '../format/key';
import { resumeTarget, writeCheckpointThen, type ThenPolicy } from '../checkpoint';
import { restoreRuntimePath } from '../assets';
import { formatBytes } from '../bytes';
import type { CheckpointTimings, RequirableSummary, StoredManifest } from '../format/manifest';
import { PhaseClock, phasesTotal } from '../capture/phases';
import { privateInspectorFlags } from '../target/launch';
import { describeConnection, type ConnectionsRecord } from '../format/connections';
import { restoreHandover } from '../target/restore-handover';
import { releaseHeld } from '../connections/handover';

export interface CheckpointCommand {
  pid?: number;
  inspect?: string;
  at: 'idle' | 'here';
  output: string;
  then: ThenPolicy;
  keyFile?: string;
  idleTimeoutMs?: number;
  /** Leave the environment out of the checkpoint (the restored program gets the restoring host's). */
  redactEnv?: boolean;
  progress: (step: string) => void;
}

export async function checkpointCommand(options: CheckpointCommand): Promise<void> {
  const clock = new PhaseClock(0); // from this process's start
  clock.mark('ferry start');
  const hmacKey = checkpointKey(options.keyFile); // a bad key is refused before the program is touched
  const { attached, session } = await openNamedProgram(options, () => clock.mark('attach'));
  clock.mark('session');
  // As soon as nothing more is asked of the program: an inspector we opened is open to every local user.
  const letGo = async () => {
    await session.cdp.close();
    await attached.release();
  };
  const stopListening = letGoOnInterrupt(session.cdp, letGo);
  try {
    const result = await writeCheckpointThen(session, options.then, {
      at: options.at,
      output: options.output,
      idleTimeoutMs: options.idleTimeoutMs,
      redactEnv: options.redactEnv,
      resumeWhenRead: options.then === 'continue',
      onResumed: letGo,
      hmacKey,
      onProgress: options.progress,
      clock,
    });
    if (options.then === 'stop') {
      await stopTarget(session, options.pid ?? result.manifest.program.pid);
    } else {
      await resumeTarget(session);
    }
    process.stdout.write(
      `checkpoint written: ${result.path} (${formatBytes(result.bytes)}, ${result.manifest.heap.objects} objects, program stopped for ${result.pauseMs} ms)\n`,
    );
  } catch (error) {
    await resumeTarget(session);
    throw error;
  } finally {
    stopListening();
    await letGo();
  }
}

async function stopTarget(session: TargetSession, pid: number): Promise<void> {
  const gone = new Promise<void>((resolve) => session.cdp.onClose(resolve));
  process.kill(pid, 'SIGKILL');
  await Promise.race([gone, new Promise((r) => setTimeout(r, 2000))]);
}

export interface RunCommand {
  script: string;
  args: string[];
}

/**
 * Runs a program with its inspector open on loopback, so that `ferry checkpoint --inspect` can
 * reach it; our own pauses at idle points are resumed by whoever took them.
 */
export async function runCommand(options: RunCommand): Promise<number> {
  const launched = await launchWithInspector({ program: options.script, args: options.args });
  process.stderr.write(`ferry: ${options.script} runs with its inspector at ${launched.webSocketUrl}\n`);
  return new Promise((resolve) => launched.child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + 9 : 1))));
}

export interface RestoreCommand {
  checkpoint: string;
  keyFile?: string;
  debug?: number | true;
  /** Put back the checkpoint's copies of the program's files another run changed since. */
  overwrite?: boolean;
  /** Run the program in this directory, not the one it ran in (the paths it holds under that one rewritten). */
  cwd?: string;
}

/** Restores in a fresh local `node`, streaming its output; resolves with its exit code. */
export async function restoreLocally(options: RestoreCommand): Promise<number> {
  const key = checkpointKey(options.keyFile);
  // Verify here first: a damaged or foreign file is refused before any process starts.
  const { manifest } = readCheckpointFile<StoredManifest>(options.checkpoint, { hmacKey: key });
  // The restore verifies again, with the key it reads once from a pipe: not from its environment or arguments.
  const pipe = key && keyPipe(key);
  const runtimeArgs = [
    ...(pipe ? ['--key-file', pipe.path] : []),
    ...(process.env.FERRY_DEBUG ? ['--failure-stack'] : []),
    ...(options.overwrite ? ['--overwrite'] : []),
    ...(options.cwd !== undefined ? ['--cwd', options.cwd] : []),
  ];
  // The session URL is printed on the restore's stderr (the user's terminal), for the user's debugger only.
  const nodeFlags = options.debug ? privateInspectorFlags(true, options.debug === true ? 0 : options.debug) : [];
  const child = await startRestoreHere({
    checkpoint: options.checkpoint,
    manifest,
    runtimeArgs,
    nodeFlags,
    stdio: ['inherit', 'inherit', 'inherit'],
    programCwd: options.cwd,
  });
  return new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 1)));
  }).finally(() => pipe?.close());
}

type StdioName = 'inherit' | 'ignore' | 'pipe';

export interface RestoreStart {
  checkpoint: string;
  /** The checkpoint's manifest, read (and verified) by the caller. */
  manifest: StoredManifest;
  /** The restore runtime's options, after the checkpoint's path. */
  runtimeArgs: string[];
  /** Node's own flags, before the runtime's path. */
  nodeFlags?: string[];
  /** Its stdin, stdout and stderr. */
  stdio: [StdioName, StdioName, StdioName];
  /** The Node to restore with: this process's unless another is asked for. */
  node?: string;
  /** The restoring process's working directory (the restore runs the program in its own). */
  cwd?: string;
  /** `--cwd`: the directory the program runs in, when not its own. */
  programCwd?: string;
}

/**
 * Starts the restore runtime on this machine as `ferry restore` does: the program's held files
 * and the channel to the holder of its connections handed over (target/restore-handover.ts).
 */
export async function startRestoreHere(start: RestoreStart): Promise<ChildProcess> {
  const handover = await restoreHandover(start.manifest, start.programCwd);
  const args = [
    ...(start.nodeFlags ?? []),
    restoreRuntimePath(),
    start.checkpoint,
    ...start.runtimeArgs,
    ...handover.runtimeArgs,
  ];
  const env = { ...withoutFerryEnv(process.env), ...handover.env };
  try {
    return spawn(start.node ?? process.execPath, args, {
      stdio: [...start.stdio, ...handover.extraStdio],
      env,
      cwd: start.cwd,
    });
  } finally {
    handover.close();
  }
}

export function inspectCommand(path: string, json: boolean, keyFile?: string): void {
  const { manifest } = readCheckpointFile<StoredManifest>(path, { hmacKey: checkpointKey(keyFile) });
  checkManifest(manifest); // a manifest with fields missing is named as corrupt, not shown half
  if (json) {
    process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
    return;
  }
  const m = manifest;
  const lines = [
    `checkpoint   ${path}`,
    `kind         ${m.kind} (taken ${m.createdAt} on ${m.originHost})`,
    `program      ${m.program.main ?? '(no main module)'} ${m.program.argv.slice(2).join(' ')}`.trimEnd(),
    `node         ${m.node.version} ${m.node.platform}-${m.node.arch}`,
    `cwd          ${m.program.cwd}`,
    `heap         ${m.heap.objects} objects, ${m.heap.functions} functions, ${formatBytes(m.heap.bytes)}`,
    `modules      ${m.modules.length}: ${m.modules.slice(0, 5).join(', ')}${m.modules.length > 5 ? ', …' : ''}`,
    ...requirableLines(m.requirable),
    `timers       ${m.handles.timers.count} (${m.handles.timers.policy}), immediates ${m.handles.immediates.count}`,
    `servers      ${m.handles.servers.map((s) => `${s.address}:${s.port} (${s.policy})`).join(', ') || 'none'}`,
    `files        ${(m.handles.files ?? []).map((f) => `fd ${f.fd} ${f.path} (${f.policy})`).join(', ') || 'none open'}`,
    ...connectionLines(m.handles.connections),
    ...(m.handles.workingFiles ?? []).map(
      (f, k) =>
        `${k === 0 ? 'carried' : '       '}      ${f.path} (${formatBytes(f.bytes)}${f.policy === 'input' ? ', read by it: put where missing' : ''})`,
    ),
    ...(m.suspended ? [`suspended    ${m.suspended} async function(s)/generator(s), resumed where they wait`] : []),
    ...(m.stack?.frames ?? []).map(
      (f, k) =>
        `${k === 0 ? 'stack' : '     '}        #${k} ${f.functionName || '(anonymous)'} ${f.url}:${f.line}:${f.column}`,
    ),
    `signed       ${m.signed ? 'yes (HMAC-SHA-256)' : 'no'}`,
    `sections     ${m.sections.map((s) => `${s.name} ${formatBytes(s.length)}`).join(', ')}`,
    ...timingLines(m.timings),
    ...m.warnings.map((w) => `warning      ${w}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** What the program can still require or import: carried, and the computed requests that are not (their modules cannot be known). */
function requirableLines(requirable: RequirableSummary | undefined): string[] {
  if (!requirable) return [];
  const lines = [
    `requirable   ${requirable.files} module file(s) not loaded yet, carried (${formatBytes(requirable.bytes)})`,
  ];
  if (requirable.loadedFiles)
    lines.push(
      `             ${requirable.loadedFiles} loaded module file(s) an import loads again, carried (${formatBytes(requirable.loadedBytes ?? 0)})`,
    );
  if (requirable.computed > 0) {
    const more = requirable.computed - requirable.computedAt.length;
    lines.push(
      `             not carried: what ${requirable.computed} computed require(name) or import(name) call(s) load: ${requirable.computedAt.join(', ')}${more > 0 ? ` and ${more} more` : ''}`,
    );
  }
  return lines;
}

function connectionLines(connections: ConnectionsRecord | undefined): string[] {
  if (!connections) return [];
  const where = connections.holder
    ? `held at ${connections.holder.path} until the restore`
    : 'left with the program: restored closed';
  return [
    `connections  ${connections.sockets.length}, ${where}`,
    ...connections.sockets.map((c) => `             ${describeConnection(c)}`),
  ];
}

/** Where the checkpoint's time went, phase by phase (nothing for a checkpoint from before the phases were kept). */
function timingLines(timings: CheckpointTimings): string[] {
  const { beforeStop, stopped, afterResume } = timings;
  if (!isPhases(beforeStop) || !isPhases(stopped)) return [];
  const phases = (part: Record<string, number>) =>
    Object.entries(part)
      .map(([name, ms]) => `${name} ${ms}`)
      .join(', ');
  return [
    `stopped      ${phasesTotal(stopped)} ms: ${phases(stopped)}`,
    `before stop  ${phasesTotal(beforeStop)} ms: ${phases(beforeStop) || '(stopped already)'}`,
    ...(isPhases(afterResume) ? [`after resume ${phasesTotal(afterResume)} ms: ${phases(afterResume)}`] : []),
  ];
}

function isPhases(value: unknown): value is Record<string, number> {
  return typeof value === 'object' && value !== null && Object.values(value).every((ms) => typeof ms === 'number');
}

/**
 * `ferry release`: the holder a checkpoint that stopped the program left with its connections
 * closes them and ends (no restore is coming to take them); their peers see them close.
 */
export async function releaseCommand(path: string, keyFile?: string): Promise<void> {
  const { manifest } = readCheckpointFile<StoredManifest>(path, { hmacKey: checkpointKey(keyFile) });
  const released = await releaseHeld(manifest.handles.connections);
  process.stdout.write(
    released
      ? `released: the holder (pid ${released.pid}) closed the ${released.count} connection(s) and listening socket(s) it kept for ${path}\n`
      : `nothing to release: no holder keeps connections for ${path} on this machine\n`,
  );
}

export function verifyCommand(path: string, keyFile?: string): void {
  const { manifest, sections } = readCheckpointFile<StoredManifest>(path, { hmacKey: checkpointKey(keyFile) });
  // Intact means the restore would take it: its records checked as the restore checks them.
  readCheckpointContents(manifest, sections);
  const signature = manifest.signed
    ? 'signed, signature valid'
    : 'unsigned: anyone could have written it, give --key-file to require a signature';
  process.stdout.write(`ok: ${path} is intact (${manifest.sections.length} sections verified; ${signature})\n`);
}
