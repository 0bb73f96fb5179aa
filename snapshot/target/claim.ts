// A Ferry command's claim on a process it attached to by pid: one command at a time on a program
// (a lock file per process), and no inspector of ours left open behind us (a watchdog in the
// target closes the inspector we opened as soon as this process lets go of it, or dies).
import { linkSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { callInTarget } from '../cdp/in-target';
import { CdpConnection, isContextGone } from '../cdp/connection';
import { startTimeOf, type NodeProcess } from './node-process';
import { runtimeDirectory, unlinkQuietly } from '../runtime-dir';

/** How long letting go waits for the target to say its inspector is closed (it cannot while busy in synchronous code). */
const RELEASE_TIMEOUT_MS = 2000;

export class TargetClaim {
  private watchdog?: { url: string; server: Server; sockets: Set<Socket> };
  private letGoing?: Promise<void>;
  private readonly dropLock = () => unlinkQuietly(this.lockPath);

  private constructor(
    private readonly target: NodeProcess,
    private readonly lockPath: string,
  ) {
    process.on('exit', this.dropLock);
  }

  /** Takes the lock of `target`, or says which Ferry command holds it. A lock whose holder is gone is taken over. */
  static take(target: NodeProcess): TargetClaim {
    const dir = runtimeDirectory();
    removeLocksOfEndedProcesses(dir);
    const lockPath = join(dir, `${target.pid}-${target.startTime}.lock`);
    const holder = `${process.pid} ${startTimeOf(process.pid)}\n`;
    // Written aside, then linked into place: the lock appears with its holder in it, or not at all.
    const draft = `${lockPath}.${process.pid}`;
    writeFileSync(draft, holder, { mode: 0o600 });
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          linkSync(draft, lockPath);
          return new TargetClaim(target, lockPath);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          const other = liveHolder(lockPath);
          if (other !== undefined || attempt > 0) {
            throw new Error(
              `process ${target.pid} is already attached to by another Ferry process${other ? ` (pid ${other})` : ''}: a checkpoint, a migration or a VS Code session; one at a time on a program, try again when it is done`,
            );
          }
          unlinkQuietly(lockPath);
        }
      }
    } finally {
      unlinkQuietly(draft);
    }
  }

  /**
   * Installs the watchdog in the target, whose inspector we opened and is at `url`: it holds a
   * connection to this process and closes its inspector when the connection ends. Not waited for:
   * a program busy in synchronous code connects only when it gets back to its event loop. If it
   * cannot be installed, the inspector is closed at once and the error says why.
   */
  async watch(url: string): Promise<void> {
    const sockets = new Set<Socket>();
    // Only the target knows it (it comes in our evaluation): any other local connection is dropped.
    const token = randomBytes(16).toString('hex');
    const server = createServer((socket) => {
      socket.unref();
      socket.setEncoding('latin1');
      socket.on('error', () => undefined);
      let said = '';
      socket.on('data', (chunk: string) => {
        said += chunk;
        if (said === token) {
          sockets.add(socket);
          socket.once('close', () => sockets.delete(socket));
        } else if (!token.startsWith(said)) {
          socket.destroy();
        }
      });
    });
    this.watchdog = { url, server, sockets };
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    server.unref();
    const { port } = server.address() as AddressInfo;
    const cdp = await CdpConnection.connect(url);
    try {
      const { exceptionDetails } = await cdp
        .send('Runtime.evaluate', {
          expression: callInTarget(closeInspectorWhenFerryLeaves, port, token),
          silent: true,
        })
        .catch((error: unknown) => {
          throw isContextGone(error)
            ? new Error(`process ${this.target.pid} ended as Ferry attached to it: nothing was taken`)
            : error;
        });
      if (exceptionDetails) {
        await askToClose(cdp);
        throw new Error(
          `cannot install the inspector watchdog in process ${this.target.pid} (${exceptionDetails.exception?.description ?? exceptionDetails.text}): its inspector is closed again`,
        );
      }
    } finally {
      await cdp.close();
    }
  }

  /**
   * Lets go: the watchdog closes the inspector we opened (when the target still runs and is not
   * stopped in the debugger, so close our sessions first), then the next command may come.
   */
  release(): Promise<void> {
    return (this.letGoing ??= this.letGo());
  }

  private async letGo(): Promise<void> {
    if (this.watchdog) {
      const { url, server, sockets } = this.watchdog;
      if (sockets.size === 0) {
        // The watchdog has not connected (the program has been busy since): it would connect to a
        // port that is no longer ours. Asked directly instead: its inspector closes when it gets to it.
        await CdpConnection.connect(url).then(
          async (cdp) => {
            await askToClose(cdp);
            await cdp.close();
          },
          () => undefined,
        );
      } else {
        const answered = [...sockets].map((socket) => new Promise((resolve) => socket.once('close', resolve)));
        for (const socket of sockets) socket.end();
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.all(answered),
          new Promise((resolve) => (timer = setTimeout(resolve, RELEASE_TIMEOUT_MS))),
        ]);
        clearTimeout(timer);
      }
      server.close();
    }
    this.dropLock();
    process.off('exit', this.dropLock);
  }
}

/**
 * Runs in the target (serialised): connects to the Ferry process that opened the inspector and
 * closes the inspector when that connection ends (Ferry let go, or its process ended: kill -9
 * included, the kernel closes its sockets) or cannot be made (Ferry was gone before this program,
 * busy in synchronous code, got to connect). Unreferenced, it never keeps the program alive, and
 * capture does not see it (process._getActiveHandles() lists referenced handles only).
 */
function closeInspectorWhenFerryLeaves(port: number, token: string): void {
  const inspector = process.getBuiltinModule('inspector');
  const socket = process.getBuiltinModule('net').connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  socket.unref();
  socket.write(token);
  // The inspector is closed before our end of the connection is: Ferry, waiting for that, then
  // knows the port is shut.
  for (const event of ['end', 'error'])
    socket.on(event, () => {
      inspector.close();
      socket.destroy();
    });
}

/**
 * Asks the target to close its inspector, once this evaluation has answered (a program busy in
 * synchronous code: once it is done), and waits a while for it to close this connection: Node 20
 * crashed (SIGSEGV) closing its inspector as our end of the connection closed (ci45).
 */
export async function askToClose(cdp: CdpConnection): Promise<void> {
  const closedByTarget = new Promise<void>((resolve) => cdp.onClose(resolve));
  const asked = await cdp.send('Runtime.evaluate', { expression: callInTarget(closeInspectorSoon), silent: true }).then(
    () => true,
    () => false,
  );
  if (!asked) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([closedByTarget, new Promise((resolve) => (timer = setTimeout(resolve, RELEASE_TIMEOUT_MS)))]);
  clearTimeout(timer);
}

/** Runs in the target (serialised). */
function closeInspectorSoon(): void {
  setImmediate(() => process.getBuiltinModule('inspector').close());
}

/** The pid of the live Ferry process named in a lock file, or undefined when it is gone (or the file is). */
function liveHolder(lockPath: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch {
    return undefined;
  }
  const [pid, startTime] = text.trim().split(' ');
  return isRunning(Number(pid), startTime) ? Number(pid) : undefined;
}

/** A Ferry process killed while it held a lock leaves it behind; once its program has ended too, nothing will take it over. */
function removeLocksOfEndedProcesses(dir: string): void {
  for (const name of readdirSync(dir)) {
    const lock = /^(\d+)-(\d+)\.lock$/.exec(name);
    if (lock && !isRunning(Number(lock[1]), lock[2])) unlinkQuietly(join(dir, name));
  }
}

/** True while `pid` is still the process that started at `startTime` (a pid is reused). */
export function isRunning(pid: number, startTime: string): boolean {
  try {
    return startTimeOf(pid) === startTime;
  } catch {
    return false;
  }
}
