// Ctrl-C (SIGINT) or SIGTERM while a command holds a program: let go of it cleanly, then end as
// the signal would have ended us. Dying with the connection open can crash a Node 20 program
// (CdpConnection.detach says why).
import type { CdpConnection } from '../cdp/connection';

/** How long an interrupted command waits for the program's answers before it closes anyway. */
const DETACH_WITHIN_MS = 3000;
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

let interruptedBy: NodeJS.Signals | undefined;

/** Whether a signal is ending this command: what it was doing fails, and is not reported. */
export function isInterrupted(): boolean {
  return interruptedBy !== undefined;
}

/**
 * Until the returned function is called, SIGINT and SIGTERM detach from the program's inspector,
 * run `letGo`, and end this process by the same signal. The program goes on where it was; a
 * checkpoint not yet written is not written.
 */
export function letGoOnInterrupt(cdp: CdpConnection, letGo: () => Promise<void>): () => void {
  const stopListening = () => {
    for (const signal of SIGNALS) process.off(signal, interrupted);
  };
  const interrupted = (signal: NodeJS.Signals) => {
    stopListening(); // a second Ctrl-C ends us at once
    interruptedBy = signal;
    process.stderr.write(`ferry: interrupted (${signal}): letting go of the program, which goes on\n`);
    void cdp
      .detach(DETACH_WITHIN_MS)
      .then(letGo)
      .catch(() => undefined)
      .finally(() => process.kill(process.pid, signal));
  };
  for (const signal of SIGNALS) process.on(signal, interrupted);
  return stopListening;
}
