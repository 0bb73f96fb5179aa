// Migration downtime (origin frozen -> remote resumed) of a small program over loopback1, cold (no SSH
// master, nothing on the host yet) and warm (master up, Ferry's files already there). Not a test: run
//   node --import tsx test/remote/measure-downtime.ts [RUNS]
// as root; it brings the SSH test hosts up itself and prints median/min/max per phase.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate, type MigrateResult } from '../../snapshot/remote/migrate';
import { stopRun } from '../../snapshot/remote/runs';
import { RemoteSession } from '../../snapshot/remote/session';
import { controlDir, remoteDir, SSH_CONFIG, testEnvUp } from './env';

const PROGRAM =
  'let n = 0; const state = { items: Array.from({ length: 100 }, (_, i) => ({ i })) }; setInterval(() => { n++; state.items[n % 100].i = n; }, 20);';
const quiet = { stdout: () => {}, stderr: () => {}, notice: () => {} };

async function migrateOnce(control: string, dir: string): Promise<MigrateResult> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'ferry-downtime-'));
  writeFileSync(path.join(work, 'small.js'), PROGRAM);
  const origin = spawn(process.execPath, ['small.js'], { cwd: work, stdio: 'ignore' });
  try {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const options = {
      host: 'loopback1',
      sshConfig: SSH_CONFIG,
      controlDir: control,
      remoteDir: dir,
      cwd: `${dir}/work`,
    };
    const result = await migrate({ ...options, pid: origin.pid }, quiet);
    await stopRun(await RemoteSession.open(options, []), result.run.id, true);
    return result;
  } finally {
    origin.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  }
}

function summary(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median =
    sorted.length % 2
      ? sorted[(sorted.length - 1) / 2]
      : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return `${label.padEnd(10)} median ${String(median).padStart(5)} ms   min ${String(sorted[0]).padStart(5)} ms   max ${String(sorted.at(-1)).padStart(5)} ms`;
}

async function main(runs: number): Promise<void> {
  testEnvUp();
  const results: Record<'cold' | 'warm', MigrateResult[]> = { cold: [], warm: [] };
  const warmControl = controlDir();
  const warmDir = remoteDir('downtime-warm');
  await migrateOnce(warmControl.dir, warmDir); // brings the master up and Ferry's files over
  for (let i = 0; i < runs; i++) {
    const cold = controlDir();
    const coldDir = remoteDir('downtime-cold');
    results.cold.push(await migrateOnce(cold.dir, coldDir));
    cold.close();
    rmSync(coldDir, { recursive: true, force: true });
    results.warm.push(await migrateOnce(warmControl.dir, warmDir));
  }
  warmControl.close();
  rmSync(warmDir, { recursive: true, force: true });
  console.log(
    `migration of a small program to loopback1, ${runs} runs each (load average ${os.loadavg()[0].toFixed(1)}, ${os.cpus().length} cores)`,
  );
  for (const kind of ['cold', 'warm'] as const) {
    console.log(`${kind}:`);
    for (const phase of ['downtimeMs', 'captureMs', 'handoverMs', 'totalMs'] as const)
      console.log(
        `  ${summary(
          phase.replace('Ms', ''),
          results[kind].map((result) => result[phase]),
        )}`,
      );
  }
}

void main(Number(process.argv[2] ?? 7));
