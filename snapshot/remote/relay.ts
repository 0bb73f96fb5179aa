// Ferry's side of a relay (connections/relay-protocol.ts): the holder of a checkpoint's
// connections is asked to become the stub that relays them to a run on a host, over a session
// it starts itself (it outlives this command): an SSH session of the operation's master, or a
// command run in a container (exec-host.ts).
import { hostname } from 'node:os';
import type { ConnectionsRecord } from '../format/connections';
import { askHolder, foreignHolder, isNoHolder } from '../connections/holder-address';
import { HandoverError } from '../connections/handover';
import { HOLDER_ANSWER, HOLDER_REQUEST } from '../connections/protocol';
import type { RelaySpec } from '../connections/relay-protocol';
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
