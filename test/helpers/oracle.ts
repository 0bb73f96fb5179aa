// The fidelity oracle: for a deterministic program, "run, checkpoint, stop, restore, continue"
// must print exactly what one uninterrupted run prints, and leave exactly the same files.
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { launchWithInspector } from '../../snapshot/target/launch';
import { openTargetSession, type TargetSession } from '../../snapshot/capture/target-session';
import { installAgent } from '../../snapshot/capture/installed-agent';
import type { Protocol } from 'devtools-protocol';
import { writeCheckpointThen, type CheckpointResult } from '../../snapshot/checkpoint';
import { readCheckpointFile } from '../../snapshot/format/checkpoint';
import type { CheckpointManifest, StoredManifest } from '../../snapshot/format/manifest';
import { startRestoreHere } from '../../snapshot/cli/local';
import { releaseConnections } from '../../snapshot/restore/connections';

export interface RunOutput {
  stdout: string;
  stderr: string;
  code: number | null;
  files: Record<string, string>;
}

/** The real npm libraries the library, here and held-out corpora use are the project's test dependencies. */
const LIBRARY_CORPORA = ['libraries', 'here-corpus', 'heldout'].map((dir) => join(__dirname, '..', 'conformance', dir));
const PROJECT_NODE_MODULES = join(__dirname, '..', '..', 'node_modules');

/**
 * Copies a corpus program (and its sibling directory of the same name, if any) into a fresh
 * directory; a library-corpus, here-corpus or held-out program also gets a `node_modules` link to the project's packages.
 * A sibling directory's `packages/` is staged as its `node_modules/` (the repository ignores every node_modules).
 */
export function stage(program: string): { dir: string; script: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-oracle-'));
  const script = join(dir, basename(program));
  cpSync(program, script);
  if (LIBRARY_CORPORA.includes(dirname(program))) symlinkSync(PROJECT_NODE_MODULES, join(dir, 'node_modules'), 'dir');
  const companion = program.replace(/\.(c?js|mjs)$/, '');
  try {
    if (statSync(companion).isDirectory()) stageCompanion(companion, join(dir, basename(companion)));
  } catch {
    // no companion directory
  }
  return { dir, script };
}

/** A companion's files, a link to another's fixture packages copied as what it links to. */
function stageCompanion(companion: string, to: string): void {
  cpSync(companion, to, { recursive: true, dereference: true });
  if (existsSync(join(to, 'packages'))) renameSync(join(to, 'packages'), join(to, 'node_modules'));
}

export function filesIn(dir: string, exclude: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string, prefix: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      const rel = prefix ? `${prefix}/${name}` : name;
      if (exclude.includes(rel)) continue;
      // The library corpus's link to the project's packages is not a file the program made.
      if (lstatSync(path).isSymbolicLink() && name === 'node_modules') continue;
      if (statSync(path).isDirectory()) walk(path, rel);
      else out[rel] = readFileSync(path, 'latin1');
    }
  };
  walk(dir, '');
  return out;
}

export function collect(
  child: import('node:child_process').ChildProcess,
): Promise<{ stdout: string; stderr: string; code: number | null; signal: NodeJS.Signals | null }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ stdout, stderr, code, signal })));
}

/**
 * The Node the oracle runs, checkpoints and restores programs with: this process's, or the binary
 * FERRY_TEST_NODE names (another version's, e.g. from test/helpers/node-versions.ts: the corpus
 * checkpointed on that version).
 */
export const PROGRAM_NODE = process.env.FERRY_TEST_NODE || process.execPath;

/**
 * The Node the oracle restores checkpoints with: PROGRAM_NODE, or the binary FERRY_RESTORE_NODE
 * names (the corpus checkpointed on one version and restored on another: the cross-version run).
 */
export const RESTORE_NODE = process.env.FERRY_RESTORE_NODE || PROGRAM_NODE;

/**
 * What a run checkpointed on one Node and restored on another must print: an uninterrupted run's
 * output on the first up to where the checkpoint came (as many lines as were printed before it),
 * then an uninterrupted run's on the second from there. A Node version prints its own parts its
 * way (error stacks: the positions in Node's files, how V8 names a getter's frame), and the
 * restored program runs on the second. With one Node, that is the uninterrupted run's output.
 */
export function expectedAcross(before: string, onProgramNode: string, onRestoreNode: string): string {
  const cut = before.split('\n').length - 1;
  return onProgramNode.slice(0, afterLine(onProgramNode, cut)) + onRestoreNode.slice(afterLine(onRestoreNode, cut));
}

/** Where the text after its first `count` lines begins. */
function afterLine(text: string, count: number): number {
  let at = 0;
  for (let line = 0; line < count && at < text.length; line++) at = text.indexOf('\n', at) + 1 || text.length;
  return at;
}

export async function runUninterrupted(program: string, node = PROGRAM_NODE): Promise<RunOutput> {
  const { dir, script } = stage(program);
  try {
    const result = inPlaceOf(
      dir,
      await collect(spawn(node, [script], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })),
    );
    return { ...result, files: writtenIn(dir, script) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The files in the program's directory less its script and companion directory (put back by a restore where the program reads them): what it wrote. */
export function writtenIn(dir: string, script: string): Record<string, string> {
  return filesIn(dir, [basename(script), basename(script).replace(/\.(c?js|mjs)$/, '')]);
}

/** Restores a checkpoint in a fresh process in `cwd`, and returns what it printed. */
export type Restorer = (
  checkpoint: string,
  cwd: string,
) => Promise<{ stdout: string; stderr: string; code: number | null }>;

export interface OracleRun {
  before: string;
  after: string;
  code: number | null;
  files: Record<string, string>;
  checkpointBytes: number;
  restoreStderr: string;
}

/**
 * Runs the program under the inspector, checkpoints it at idle once it has printed `afterLines`
 * lines as `ferry checkpoint --then stop` does (its connections to a holder), kills it, restores
 * the checkpoint in a fresh process in the same directory (taking them), and returns
 * what each half printed. The program's script is deleted before the restore: it must not be needed.
 * `restoreIt` restores otherwise than `ferry restore` here does (another Node version); `node` runs
 * the program (and so takes the checkpoint's heap).
 */
export async function checkpointAndRestore(
  program: string,
  afterLines: number,
  restoreIt: Restorer = restore,
  node = PROGRAM_NODE,
): Promise<OracleRun> {
  return withRetryIfEnded(() => checkpointAndRestoreOnce(program, afterLines, restoreIt, node));
}

/** The program ran to its end before the oracle could stop it: the run tests nothing, and is made again. */
export class EndedBeforeStoppedError extends Error {}

/**
 * Runs `attempt` again (twice at most) when the program ended before it could be stopped: on a
 * loaded machine a program with little left to do can finish while the pause is on its way.
 */
export async function withRetryIfEnded<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof EndedBeforeStoppedError) || tries === 3) throw error;
    }
  }
}

/**
 * Stops the program at once and returns its paused frames. A program that has run to its end never
 * pauses (it waits for the debugger to go): after 10 s that is reported as EndedBeforeStoppedError.
 */
export async function stopAtOnce(cdp: TargetSession['cdp']): Promise<Protocol.Debugger.CallFrame[]> {
  const paused = cdp.once('Debugger.paused', undefined, 10_000);
  await cdp.send('Debugger.pause');
  try {
    return (await paused).callFrames;
  } catch {
    throw new EndedBeforeStoppedError(
      'the program did not stop within 10 s: it ran to its end before it could be checkpointed',
    );
  }
}

/**
 * Attaches to a program started with its first line held, and lets it go with the capture agent
 * already in: installed while the program runs, the agent's compile (100-250 ms measured at load
 * 17) lands inside whatever callback runs then, through the inspector's interrupt, and held a tick
 * long enough to swap two timers of a corpus program, or let a short one end before its pause.
 * Installed here, the capture finds it (1-14 ms).
 */
export function attachBeforeStart(webSocketUrl: string): Promise<TargetSession> {
  return openTargetSession(webSocketUrl, {
    startedWithBreak: true,
    beforeStart: (cdp) => installAgent({ cdp }).then(() => undefined),
  });
}

async function checkpointAndRestoreOnce(
  program: string,
  afterLines: number,
  restoreIt: Restorer,
  node: string,
): Promise<OracleRun> {
  const { dir, script } = stage(program);
  const checkpoint = join(dir, '..', `${basename(dir)}.ferry`);
  try {
    const launched = await launchWithInspector({
      program: script,
      cwd: dir,
      stdio: 'pipe',
      breakOnStart: true,
      runtimeExecutable: node,
    });
    const output = collect(launched.child);
    const printed = linesPrinted(launched.child, afterLines);
    // Attach first, so the checkpoint comes at the first idle point after the N-th line.
    const session = await attachBeforeStart(launched.webSocketUrl);
    await printed;
    let result;
    try {
      result = await checkpointToStop(session, checkpoint);
    } finally {
      launched.child.kill('SIGKILL');
      await session.cdp.close();
    }
    const before = inPlaceOf(dir, await output);
    // The program's own files (its script, and its modules' directory) must not be needed.
    rmSync(script);
    rmSync(script.replace(/\.(c?js|mjs)$/, ''), { recursive: true, force: true });
    try {
      const restored = inPlaceOf(dir, await restoreIt(checkpoint, dir));
      return {
        before: before.stdout,
        after: restored.stdout,
        code: restored.code,
        files: writtenIn(dir, script),
        checkpointBytes: result.bytes,
        restoreStderr: restored.stderr,
      };
    } finally {
      await letGoOfConnections(result.manifest);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(checkpoint, { force: true });
  }
}

/**
 * Checkpoints as `ferry checkpoint --then stop` does, the program stopped at once first (a loaded
 * machine must not let it run to its end), then taken at its next idle point; the time it stays
 * stopped until then does not count for its timers (stoppedAt). Its connections are with their
 * holder on return: the program may be killed.
 */
export async function checkpointToStop(
  session: TargetSession,
  output: string,
  hmacKey?: Buffer,
): Promise<CheckpointResult> {
  const pausedCallFrames = await stopAtOnce(session.cdp);
  try {
    return await writeCheckpointThen(session, 'stop', {
      at: 'idle',
      output,
      hmacKey,
      pausedCallFrames,
      stoppedAt: Date.now(),
    });
  } catch (error) {
    // Its next quiet idle point (no request on its way) may come only after its end: ended, as above.
    if (error instanceof Error && error.message.startsWith('the program ended while it was being checkpointed'))
      throw new EndedBeforeStoppedError(error.message);
    throw error;
  }
}

/** Has a holder no restore took from (a restore that failed, or restored otherwise) close what it holds. */
export async function letGoOfConnections(manifest: CheckpointManifest): Promise<void> {
  const connections = manifest.handles.connections;
  if (connections?.holder) await releaseConnections(connections);
}

/**
 * Output with the program's staging directory written as `<dir>`: each run is staged in a
 * directory of its own, and error stacks name the program's files by their paths.
 */
function inPlaceOf<T extends { stdout: string; stderr: string }>(dir: string, output: T): T {
  return { ...output, stdout: output.stdout.replaceAll(dir, '<dir>'), stderr: output.stderr.replaceAll(dir, '<dir>') };
}

/**
 * Restores as `ferry restore` does (the held files handed over at their numbers, the connections
 * taken from their holder), with `node`: RESTORE_NODE unless another version is asked for.
 */
export async function restore(checkpoint: string, cwd: string, node = RESTORE_NODE) {
  const { manifest } = readCheckpointFile<StoredManifest>(checkpoint);
  const stdio: ['ignore', 'pipe', 'pipe'] = ['ignore', 'pipe', 'pipe'];
  return collect(await startRestoreHere({ checkpoint, manifest, runtimeArgs: [], stdio, node, cwd }));
}

/**
 * Resolves once the child has printed `count` lines on stdout. Rejects once it has ended: it exited,
 * or, under a debugger (which keeps the process until the session closes), said it is waiting for
 * the debugger to disconnect, with what it wrote on stderr.
 */
export function linesPrinted(child: import('node:child_process').ChildProcess, count: number): Promise<void> {
  let seen = '';
  let errors = '';
  return new Promise<void>((resolve, reject) => {
    const ended = () => reject(new Error(`the program ended before printing ${count} lines:\n${seen}${errors}`));
    const check = (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (seen.split('\n').length - 1 >= count) {
        child.stdout!.off('data', check);
        child.stderr?.off('data', endedUnderDebugger);
        resolve();
      }
    };
    const endedUnderDebugger = (chunk: Buffer) => {
      errors += chunk.toString('utf8');
      if (errors.includes('Waiting for the debugger to disconnect')) ended();
    };
    child.stdout!.on('data', check);
    child.stderr?.on('data', endedUnderDebugger);
    child.once('exit', ended);
  });
}

const CLI = resolve(__dirname, '../../dist/cli.js');

/**
 * Runs the built `ferry` command in `cwd`, as a user does, and returns what it printed. It runs on
 * `node` (PROGRAM_NODE unless another is asked for): `ferry run` starts the program with its own Node.
 */
export function runCli(
  args: string[],
  cwd: string,
  node = PROGRAM_NODE,
): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return collect(spawn(node, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] }));
}
