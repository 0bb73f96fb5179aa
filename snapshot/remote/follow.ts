// Streams a run's stdout, stderr and status events back from the host until it exits.
// Output is read from the run's files, so following can stop and start again (reattach) at will.
import { RemoteError } from './errors';
import { FRAME, frameDecoder } from './wire-protocol';
import type { RemoteSession } from './session';

export type StatusEvent =
  { event: 'resumed'; pid: number } | { event: 'failed'; error: string } | { event: string; [key: string]: unknown };

export type RunEnd =
  | { kind: 'exited'; code: number }
  /** The supervisor on the host died without recording an exit code (killed, host rebooted); what was left of it. */
  | { kind: 'vanished'; left: string }
  /** Following failed: the connection was lost (the run goes on), or there is no such run. */
  | { kind: 'error'; error: RemoteError }
  /** We stopped following; the run goes on. */
  | { kind: 'detached' };

export interface FollowHandlers {
  stdout?(chunk: Buffer): void;
  stderr?(chunk: Buffer): void;
  status?(event: StatusEvent): void;
}

export interface Following {
  end: Promise<RunEnd>;
  /** Stops following; `end` resolves with `detached`. */
  detach(): void;
}

export async function follow(session: RemoteSession, runId: string, handlers: FollowHandlers): Promise<Following> {
  const child = session.host.spawn(await session.helperCommand('follow', [runId]), ['ignore', 'pipe', 'pipe']);
  let end: RunEnd | undefined;
  let statusText = '';
  const stderr: Buffer[] = [];
  child.stdout!.on(
    'data',
    frameDecoder((type, payload) => {
      if (type === FRAME.stdout) handlers.stdout?.(payload);
      else if (type === FRAME.stderr) handlers.stderr?.(payload);
      else if (type === FRAME.status) {
        statusText += payload.toString('utf8');
        const lines = statusText.split('\n');
        statusText = lines.pop()!;
        for (const line of lines) if (line.trim()) handlers.status?.(parseStatus(line));
      } else if (type === FRAME.end) {
        const text = payload.toString('utf8');
        end = text.startsWith('lost')
          ? { kind: 'vanished', left: text.slice(5) }
          : { kind: 'exited', code: Number(text) };
      }
    }),
  );
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
  const ended = new Promise<RunEnd>((resolve) => {
    child.once('close', (code) => {
      if (end) return resolve(end);
      const text = Buffer.concat(stderr).toString('utf8');
      if (code === 2)
        return resolve({
          kind: 'error',
          error: new RemoteError('no-such-run', `${session.host.label}: ${text.trim()}`),
        });
      resolve({
        kind: 'error',
        error:
          code === null
            ? new RemoteError('connection-lost', `stopped following ${session.host.label}`)
            : session.host.transportFailure(text),
      });
    });
  });
  let detached = false;
  return {
    end: ended.then((result) => (detached ? { kind: 'detached' } : result)),
    detach() {
      detached = true;
      child.kill();
      // Our ends of its output too: the master keeps the other ends until the helper there next
      // writes and finds no reader, which a quiet program may never make it do.
      child.stdout!.destroy();
      child.stderr!.destroy();
    },
  };
}

export function parseStatusLines(text: string): StatusEvent[] {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map(parseStatus);
}

function parseStatus(line: string): StatusEvent {
  try {
    return JSON.parse(line) as StatusEvent;
  } catch {
    return { event: 'unparsed', line };
  }
}

/** The run's verdict in status lines already read: undefined when resumed, else why not; null when they do not tell yet. */
export function verdictOf(events: StatusEvent[], hostLabel: string): string | undefined | null {
  for (const event of events) {
    if (event.event === 'resumed') return undefined;
    if (event.event === 'failed') return `the restore on ${hostLabel} failed: ${String(event.error)}`;
  }
  return null;
}

/** Waits for the run to report that it resumed: undefined then, else why it will not. Stops following either way. */
export async function awaitResumed(session: RemoteSession, runId: string): Promise<string | undefined> {
  let settle!: (why: string | undefined) => void;
  const verdict = new Promise<string | undefined>((resolve) => (settle = resolve));
  const following = await follow(session, runId, {
    status(event) {
      const verdict = verdictOf([event], session.host.label);
      if (verdict !== null) settle(verdict);
    },
  });
  void following.end.then((end) =>
    settle(end.kind === 'error' ? end.error.message : `the restore on ${session.host.label} ended before it resumed`),
  );
  const why = await verdict;
  following.detach();
  return why;
}
