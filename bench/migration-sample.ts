// Migration downtime over the loopback sshd of the remote tests (test/remote/ssh-testenv.sh):
// `migrate` (snapshot/remote/migrate.ts) of a fresh workload target to host loopback1, cold (no
// SSH master connection yet, an empty Ferry directory on the host) and warm (a master already up
// and Ferry's files already there, as on a second migration).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '../snapshot/remote/migrate';
import { stopRun } from '../snapshot/remote/runs';
import { RemoteSession, type HostOptions } from '../snapshot/remote/session';
import { startTarget } from './target';

const TESTENV = '/tmp/ferry-ssh-testenv';
const SSH_CONFIG = path.join(TESTENV, 'ssh_config');
const HOST = 'loopback1';

export interface MigrationSample {
  /** Origin frozen → remote resumed, as migrate reports it (its clock starts as capture begins, a few ms before the freeze). */
  downtimeMs: number;
  /** The part of the downtime spent capturing and writing the checkpoint. */
  captureMs: number;
  /** The whole `migrate` call, connection and probe included. */
  commandMs: number;
}

/** Brings the loopback sshd up; the reason it cannot, otherwise. */
export function sshAvailable(): string | undefined {
  try {
    execFileSync('bash', [path.join(__dirname, '..', 'test', 'remote', 'ssh-testenv.sh'), 'up'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return undefined;
  } catch (error) {
    return `the loopback sshd could not be started: ${(error as Error).message.split('\n')[0]}`;
  }
}

/** A private control-socket directory and a Ferry directory on the host; `close` ends the masters and removes both. */
export function hostContext(): { options: HostOptions; close(): void } {
  const controlDir = mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-cm-'));
  const remoteDir = mkdtempSync(path.join(TESTENV, 'home', 'bench-'));
  execFileSync('chown', ['--reference', path.join(TESTENV, 'home'), remoteDir]);
  return {
    options: { host: HOST, sshConfig: SSH_CONFIG, controlDir, remoteDir },
    close() {
      for (const socket of readdirSync(controlDir))
        execFileSync('ssh', ['-o', `ControlPath=${path.join(controlDir, socket)}`, '-O', 'exit', 'x'], {
          stdio: 'ignore',
        });
      rmSync(controlDir, { recursive: true, force: true });
      rmSync(remoteDir, { recursive: true, force: true });
    },
  };
}

const quiet = { stdout: () => undefined, stderr: () => undefined, notice: () => undefined };

export async function migrationSample(n: number, host: HostOptions): Promise<MigrationSample> {
  const target = await startTarget(n, { session: false });
  try {
    const started = performance.now();
    // The host shares this machine's disk, where the target's directory is not its user's: it runs in one of the host's.
    const cwd = `${host.remoteDir}/work`;
    const result = await migrate({ ...host, cwd, inspect: target.launched.webSocketUrl }, quiet);
    const commandMs = performance.now() - started;
    const session = await RemoteSession.open(host, []);
    // Stopped but not removed by the helper (its remove can race the dying run); hostContext removes the directory.
    await stopRun(session, result.run.id, false);
    return { downtimeMs: result.downtimeMs, captureMs: result.captureMs, commandMs };
  } finally {
    await target.close();
  }
}
