// Shared set-up of the remote tests: the SSH test hosts (ssh-testenv.sh), a private control-socket
// directory, a remote directory per test, stand-in checkpoints, and the CLI driver.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Another environment beside the usual one (ssh-testenv.sh's FERRY_SSH_TESTENV_* variables) is followed here too.
export const TESTENV = process.env.FERRY_SSH_TESTENV_DIR ?? '/tmp/ferry-ssh-testenv';
/** The user the test hosts log in as (never this machine's user). */
export const REMOTE_USER = process.env.FERRY_SSH_TESTENV_USER ?? 'ferry-remote';
/** The network namespace remote1's sshd runs in (linkcut.test.ts cuts its link). */
export const REMOTE1_NAMESPACE = `${process.env.FERRY_SSH_TESTENV_NS ?? 'ferryr'}1`;
export const SSH_CONFIG = path.join(TESTENV, 'ssh_config');
export const FAKE_RUNTIME = path.join(__dirname, 'fixtures', 'fake-restore.js');
const CLI_DRIVER = path.join(__dirname, 'fixtures', 'cli-driver.ts');

export const isRoot = process.getuid?.() === 0;
export const skipReason = isRoot ? false : 'the remote tests start sshd and network namespaces: run them as root';

export function testEnvUp(): void {
  execFileSync('bash', [path.join(__dirname, 'ssh-testenv.sh'), 'up'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** A fresh local directory for this file's SSH control sockets; `close` ends the masters in it. */
export function controlDir(): { dir: string; close(): void } {
  const dir = mkdtempSync('/tmp/ferry-cm-');
  return {
    dir,
    close() {
      // A master already gone (killed by a test, or its socket a dead one's) is what this wants: ssh's 255 then says nothing.
      for (const socket of readdirSync(dir))
        spawnSync('ssh', ['-o', `ControlPath=${path.join(dir, socket)}`, '-O', 'exit', 'x'], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
/**
 * A Ferry directory on the test hosts, never the origin's: in the remote user's home, which
 * loopback1 and nonode1 share with this machine and remote1 and remote2 have of their own.
 */
export function remoteDir(name: string): string {
  return path.join(TESTENV, 'home', `${name}-${process.pid}-${++counter}`);
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'ferry-origin-'));
/** A stand-in checkpoint: what fake-restore.js does once "resumed" (see there). */
export function fakeCheckpoint(spec: object, padding = 0): string {
  const file = path.join(scratch, `cp-${++counter}.json`);
  writeFileSync(file, JSON.stringify({ ...spec, padding: 'x'.repeat(padding) }));
  return file;
}

export interface DriverResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one of snapshot/cli/remote.ts's commands in a child process, as the dispatcher will. */
export function driver(command: string, options: object, input = ''): Promise<DriverResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI_DRIVER, command, JSON.stringify(options)], {
      stdio: 'pipe',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

export function sh(command: string): string {
  return execFileSync('sh', ['-c', command], { encoding: 'utf8' });
}

/**
 * `sh -c command` as root on the disk of a host with a filesystem of its own (in the mount namespace
 * of its sshd, `namespace` being its network namespace): what the host holds, even with its link cut.
 */
export function shOnHost(namespace: string, command: string): string {
  const sshd = readFileSync(path.join(TESTENV, namespace, 'sshd.pid'), 'utf8').trim();
  return execFileSync('nsenter', ['--target', sshd, '--mount', 'sh', '-c', command], { encoding: 'utf8' });
}

/** The containers of container-testenv.sh: ferryc1 has Node, ferryc2 has none. */
export type TestContainer = 'ferryc1' | 'ferryc2';
const CONTAINER_TESTENV = process.env.FERRY_CONTAINER_TESTENV_DIR ?? '/tmp/ferry-container-testenv';

export function containerEnvUp(): void {
  execFileSync('bash', [path.join(__dirname, 'container-testenv.sh'), 'up'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** The `--on` value that reaches a test container: `exec:nsenter --target PID ... --`. */
export function containerOn(name: TestContainer): string {
  return readFileSync(path.join(CONTAINER_TESTENV, `${name}.on`), 'utf8').trim();
}

/** True once `pid` has SIGUSR1 pending: `ferry migrate --pid` asked it to open its inspector. */
export function usr1Pending(pid: number): boolean {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return ['SigPnd', 'ShdPnd'].some(
    (field) => (BigInt(`0x${new RegExp(`^${field}:\\s*(\\w+)`, 'm').exec(status)![1]}`) & 0x200n) !== 0n,
  );
}

const SIGUSR1_LOCK = '/tmp/.ferry-test-sigusr1.lock';
/**
 * Runs `body` (which migrates by --pid) alone among the test files: SIGUSR1 opens every Node's
 * inspector on 127.0.0.1:9229, so two at once take each other's port.
 */
export function aloneOnPort9229<T>(body: () => Promise<T>): Promise<T> {
  return alone(SIGUSR1_LOCK, body);
}

/**
 * Runs `body` (which cuts remote1's link, or needs it up) alone among the test files of this
 * environment: linkcut.test.ts, relay.test.ts and stop.test.ts cut it, and a cut in one file made
 * another's `ferry stop` fail, leaving its program running on the host.
 */
export function aloneOnRemote1<T>(body: () => Promise<T>): Promise<T> {
  return alone(path.join(TESTENV, 'remote1.lock'), body);
}

/** Holds a lock (a directory) while `body` runs; one older than 3 minutes was left by a test that died. */
async function alone<T>(lock: string, body: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 180_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await body();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
