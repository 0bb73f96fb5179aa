// The fidelity oracle over SSH: the pieces the oracle tests share. The program is checkpointed here,
// its directory deleted, and the checkpoint restored on a test host through the real `ferry` CLI;
// what the program wrote there is fetched back over SSH and compared with an uninterrupted local run.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { distDir } from '../../snapshot/assets';
import type { CheckpointManifest } from '../../snapshot/format/manifest';
import { shq } from '../../snapshot/remote/shell';
import { SshHost } from '../../snapshot/remote/ssh';
import type { RemoteHost } from '../../snapshot/remote/host';
import { launchWithInspector } from '../../snapshot/target/launch';
import {
  attachBeforeStart,
  checkpointToStop,
  filesIn,
  linesPrinted,
  runUninterrupted,
  stage,
  withRetryIfEnded,
} from '../helpers/oracle';
import { after, before } from 'node:test';
import { SSH_CONFIG, testEnvUp } from './env';

export const CORPUS = join(__dirname, '..', 'conformance', 'corpus');

export function header(program: string, name: string): string | undefined {
  return new RegExp(`^// ferry-${name}: (.*)$`, 'm').exec(readFileSync(program, 'utf8'))?.[1];
}

export interface Baseline {
  code: number;
  stdout: string;
  /** Files the program writes (the staged program and its companion files left out). */
  written: Record<string, string>;
}

export async function baseline(program: string): Promise<Baseline> {
  const run = await runUninterrupted(program);
  // A program meant to end with an uncaught exception (`// ferry-exit: N`) reports it on stderr.
  const failing = Number(header(program, 'exit') ?? 0) !== 0;
  if (run.code === null || (run.stderr.includes('Error') && !failing))
    throw new Error(`uninterrupted run of ${program} failed (${run.code}):\n${run.stderr}`);
  return { stdout: run.stdout, code: run.code, written: writtenFiles(program, run.files) };
}

/** The files in `files` that staging did not put there unchanged. */
export function writtenFiles(program: string, files: Record<string, string>): Record<string, string> {
  const { dir } = stage(program);
  const staged = filesIn(dir);
  rmSync(dir, { recursive: true, force: true });
  return Object.fromEntries(
    Object.entries(files).filter(([name, bytes]) => staged[name] !== bytes && name !== basename(program)),
  );
}

export interface Checkpointed {
  /** What the program printed before it was checkpointed and killed. */
  before: string;
  checkpoint: string;
  /** The basename of the (deleted) directory the program ran in. */
  dirName: string;
  /** That directory: error stacks name the program's files by their paths there (the baseline writes it `<dir>`). */
  dir: string;
  /** The checkpoint's manifest: its connections are with their holder here, for `ferry restore --on` to relay. */
  manifest: CheckpointManifest;
}

/**
 * Runs the program here, checkpoints it at the first idle point after `lines` lines as `ferry
 * checkpoint --then stop` does (its connections to a holder), kills it and deletes its directory.
 */
export async function checkpointAndDelete(program: string, lines: number, hmacKey?: Buffer): Promise<Checkpointed> {
  return withRetryIfEnded(() => checkpointAndDeleteOnce(program, lines, hmacKey));
}

async function checkpointAndDeleteOnce(program: string, lines: number, hmacKey?: Buffer): Promise<Checkpointed> {
  const { dir, script } = stage(program);
  const checkpoint = `${dir}.ferry`;
  try {
    const launched = await launchWithInspector({
      program: script,
      cwd: dir,
      stdio: 'pipe',
      stdin: 'ignore',
      breakOnStart: true,
    });
    let before = '';
    launched.child.stdout!.on('data', (chunk: Buffer) => (before += chunk.toString('utf8')));
    const exited = new Promise((resolve) => launched.child.once('close', resolve));
    const printed = linesPrinted(launched.child, lines);
    const session = await attachBeforeStart(launched.webSocketUrl);
    await printed;
    let manifest;
    try {
      ({ manifest } = await checkpointToStop(session, checkpoint, hmacKey));
    } finally {
      launched.child.kill('SIGKILL');
      await session.cdp.close();
    }
    await exited;
    return { before, checkpoint, dirName: basename(dir), dir, manifest };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

// The CLI keeps its SSH masters in ~/.ferry/ssh: a home of this test file's own, so that closing its
// master at the end does not cut another test file's commands off.
const HOME = mkdtempSync('/tmp/ferry-h-');
const CONTROL_DIR = join(HOME, '.ferry', 'ssh');

/** `node dist/cli.js ARGS...`, as a user types it (in `cwd`, else here); `onStdout` sees its output grow. */
export function ferry(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd?: string,
  onStdout?: (stdoutSoFar: string) => void,
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(distDir(), 'cli.js'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...env, HOME },
      cwd,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      onStdout?.(stdout);
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `--on HOST --ssh-config … --remote-dir …` */
export function onHost(host: string, remoteDir: string): string[] {
  return ['--on', host, '--ssh-config', SSH_CONFIG, '--remote-dir', remoteDir];
}

/** The host as the CLI reaches it (same ssh config, same control socket: the CLI's warm master). */
export function cliHost(host: string): Promise<SshHost> {
  return SshHost.connect({ host, sshConfig: SSH_CONFIG, controlDir: CONTROL_DIR });
}

/**
 * A suite's set-up: the test hosts up and the master every `ferry` of the suite rides on, closed
 * (with the CLI's home) after it. Returns the host, for reading back what the program wrote.
 */
export function withCliHost(name: string): () => SshHost {
  let host: SshHost | undefined;
  before(async () => {
    testEnvUp();
    host = await cliHost(name);
  });
  after(async () => {
    await host?.close();
    rmSync(HOME, { recursive: true, force: true });
  });
  return () => host!;
}

/** Every file under `dir` on the host, fetched back as a tar stream. */
export async function fetchFiles(host: RemoteHost, dir: string): Promise<Record<string, string>> {
  const result = await host.exec(`tar -cf - -C ${shq(dir)} .`);
  if (result.code !== 0) throw new Error(`cannot fetch ${dir} from ${host.label}: ${result.stderr}`);
  const local = mkdtempSync(join(tmpdir(), 'ferry-fetched-'));
  try {
    await new Promise<void>((resolve, reject) => {
      const tar = spawn('tar', ['-xf', '-', '-C', local], { stdio: ['pipe', 'ignore', 'inherit'] });
      tar.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`tar exited ${code}`))));
      tar.stdin.end(result.stdout);
    });
    return filesIn(local);
  } finally {
    rmSync(local, { recursive: true, force: true });
  }
}

/** The one run in a Ferry directory on the host (each oracle case has a directory of its own). */
export async function onlyRun(
  host: string,
  remoteDir: string,
): Promise<{ id: string; state: string; exitCode: number | null }> {
  const ps = await ferry(['ps', ...onHost(host, remoteDir), '--json']);
  const runs = JSON.parse(ps.stdout) as Array<{ id: string; state: string; exitCode: number | null }>;
  if (runs.length !== 1)
    throw new Error(`expected one run in ${remoteDir}, found ${runs.length}: ${ps.stdout}${ps.stderr}`);
  return runs[0];
}
