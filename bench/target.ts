// A fresh workload target per sample: started with its inspector, waited on until its heap is
// built, optionally with our CDP session open on it.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openTargetSession, type TargetSession } from '../snapshot/capture/target-session';
import { launchWithInspector, type LaunchedTarget } from '../snapshot/target/launch';

export const WORKLOAD = path.join(__dirname, 'workload', 'program.js');

export interface Target {
  launched: LaunchedTarget;
  pid: number;
  session?: TargetSession;
  /** Ends the target (if still alive) and our session. */
  close(): Promise<void>;
}

export async function startTarget(n: number, options: { session: boolean; runtimeArgs?: string[] }): Promise<Target> {
  // A working directory of its own, as a real job has: migrate ships what changed under the cwd.
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-work-'));
  const launched = await launchWithInspector({
    program: WORKLOAD,
    args: [String(n)],
    cwd,
    stdio: 'pipe',
    stdin: 'ignore',
    runtimeArgs: options.runtimeArgs,
    timeoutMs: 60_000,
  });
  const child = launched.child;
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('ready\n')) resolve();
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`the workload (N=${n}) exited before it was ready (${signal ?? code})`)),
    );
  });
  const session = options.session ? await openTargetSession(launched.webSocketUrl) : undefined;
  return {
    launched,
    pid: child.pid!,
    session,
    async close() {
      await session?.cdp.close().catch(() => undefined);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

/** Evaluates `expression` in the target and returns its value (JSON-able). */
export async function evaluate<T>(session: TargetSession, expression: string): Promise<T> {
  const result = await session.cdp.send('Runtime.evaluate', { expression, returnByValue: true, silent: true });
  if (result.exceptionDetails)
    throw new Error(
      `evaluation failed in the target: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text}`,
    );
  return result.result.value as T;
}
