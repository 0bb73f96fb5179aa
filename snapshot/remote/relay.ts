// Ferry's side of a relay (connections/relay-protocol.ts): the holder of a checkpoint's
// connections is asked to become the stub that relays them to a run on a host, over a session
// it starts itself (it outlives this command): an SSH session of the operation's master, or a
// command run in a container (exec-host.ts).
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { ConnectionsRecord } from '../format/connections';
import { askHolder, foreignHolder, isNoHolder } from '../connections/holder-address';
import { HandoverError } from '../connections/handover';
import { HOLDER_ANSWER, HOLDER_REQUEST } from '../connections/protocol';
import type { RelayReport, RelaySpec } from '../connections/relay-protocol';
import { sharesOurNetwork } from './probe';
import type { RemoteSession } from './session';

/** Whether these connections can be relayed: a holder of ours holds them. */
export function relayable(connections: ConnectionsRecord | undefined): connections is ConnectionsRecord {
  return !!connections?.holder && !foreignHolder(connections.holder);
}

/**
 * Has the holder relay the connections to run `runId` on the session's host; returns the stub's
 * pid. The run's restore, started with `--relay`, connects to the relay for each of them. A host
 * that shares our addresses listens on the program's ports itself: the stub lets go of its
 * listening sockets then, and relays only the established connections.
 */
export async function startRelay(
  session: RemoteSession,
  connections: ConnectionsRecord,
  runId: string,
): Promise<number> {
  const spec: RelaySpec = {
    ...session.host.commandLine(await session.helperCommand('relay', [runId])),
    sockets: connections.sockets.map(({ role, local, remote }) => ({ role, local, remote })),
    relayListening: !sharesOurNetwork(session.probe),
    origin: hostname(),
  };
  const holder = connections.holder!;
  let reply;
  try {
    reply = await askHolder(holder, HOLDER_REQUEST.relay, Buffer.from(JSON.stringify(spec)).toString('base64'));
  } catch (error) {
    if (!isNoHolder(error)) throw error;
    throw new HandoverError(
      `no holder of the program's connections answers at ${holder.path}: there is nothing to relay`,
    );
  }
  reply.conn.destroy();
  const [answer, pid] = reply.answer.split(' ');
  if (answer !== HOLDER_ANSWER.relaying)
    throw new HandoverError(
      `the holder at ${holder.path} does not relay the program's connections: it answered ${JSON.stringify(reply.answer)}`,
    );
  return Number(pid);
}

/** How long a stopped run's stub gets to hear the host's bye and end by itself. */
const STUB_BYE_MS = 5_000;

/**
 * After its run was stopped: the stub on this machine ends once the host's helper says bye; one
 * that did not hear it (a link lost that it has not noticed yet) is ended here. A stub whose
 * program never went on is left alone: it holds the connections for the next restore.
 */
export async function endStubAfterStop(relay: RelayReport | undefined): Promise<void> {
  const pid = relay?.stubPid;
  if (!pid || relay.origin !== hostname() || relay.state === 'waiting' || relay.state === 'aborted') return;
  if (await stubEnded(pid, STUB_BYE_MS)) return;
  // Told to end, it closes what it holds; one that cannot within the time is killed. Either way
  // it is gone when `ferry stop` returns.
  signalStub(pid, 'SIGTERM');
  if (await stubEnded(pid, STUB_BYE_MS)) return;
  signalStub(pid, 'SIGKILL');
  await stubEnded(pid, STUB_BYE_MS);
}

/** Whether the stub at `pid` ended within `ms` (polled: it is no child of ours to wait for). */
async function stubEnded(pid: number, ms: number): Promise<boolean> {
  for (let waited = 0; waited < ms && isStub(pid); waited += 100)
    await new Promise((resolve) => setTimeout(resolve, 100));
  return !isStub(pid);
}

function signalStub(pid: number, signal: NodeJS.Signals): void {
  try {
    if (isStub(pid)) process.kill(pid, signal);
  } catch {
    // ended meanwhile
  }
}

/** Whether `pid` is a holder (dist/holder.js hold …): a pid recycled since is never signalled. */
function isStub(pid: number): boolean {
  try {
    const words = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return words.includes('hold') && words.some((word) => word.endsWith('holder.js'));
  } catch {
    return false;
  }
}
