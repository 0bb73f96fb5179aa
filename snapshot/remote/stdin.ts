// Feeds local input to a run's stdin (the launcher's FIFO) and, when the input ends, lets the
// program see end of input. A dropped link leaves the program's stdin open, not closed.
import type { Readable } from 'node:stream';
import type { RemoteSession } from './session';
import { shq } from './shell';

export interface StdinForwarding {
  /** Stops forwarding (the run ended or we detach); the program's stdin stays as it is. */
  stop(): void;
}

export function forwardStdin(session: RemoteSession, runDir: string, input: Readable): StdinForwarding {
  // After the program exits nobody reads the FIFO and opening it would block forever; the launcher
  // releases feeders that raced past this check (see launcher.sh).
  const child = session.host.spawn(`cd ${shq(runDir)} && { [ -e exit ] || { [ -p stdin ] && exec cat > stdin; }; }`, [
    'pipe',
    'ignore',
    'ignore',
  ]);
  let stopped = false;
  child.stdin!.on('error', () => {}); // the program exited and the FIFO has no reader: nothing more to send
  input.pipe(child.stdin!);
  child.once('close', (code) => {
    // `cat` ends when our input does (code 0): only then is it time to close the program's stdin.
    if (!stopped && code === 0) void closeRunStdin(session, runDir).catch(() => {});
  });
  return {
    stop() {
      stopped = true;
      input.unpipe(child.stdin!);
      if (input !== process.stdin) input.destroy();
      else process.stdin.pause();
      child.kill();
    },
  };
}

/** Ends the run's stdin: the launcher's writer that kept the FIFO open goes away. */
export async function closeRunStdin(session: RemoteSession, runDir: string): Promise<void> {
  await session.host.exec(`kill "$(cat ${shq(`${runDir}/stdin.keeper`)})" 2>/dev/null; true`);
}
