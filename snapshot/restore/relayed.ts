// A restore on a host whose connections stay on the origin, with a stub that relays them
// (connections/relay.ts): each of the program's connections becomes a socket on a loopback
// connection to the host helper's relay (remote/host-helper/relay.ts), made before the program
// is, and named to it by its index. The program's socket object is made on that connection's
// handle, which says the addresses the connection had on the origin. Its listening sockets stay
// on the origin: its servers listen here anew, and the relay opens what the stub accepts to them.
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import type { ConnectionsRecord } from '../format/connections';
import type { RelayState } from '../connections/relay-protocol';

/** How long the relay may take to come up: the stub starts it over SSH as the restore starts. */
const RELAY_PATIENCE_MS = 60_000;

/** Node's stream handle, as much of it as a relayed connection answers differently. */
interface RelayedHandle {
  getpeername(out: Record<string, unknown>): number;
  getsockname(out: Record<string, unknown>): number;
}

/** The relayed connections' handles, by index in the connections record (as the holder's would be). */
export async function relayedConnections(record: ConnectionsRecord, relayFile: string): Promise<Map<number, unknown>> {
  const { port, token } = await relayAddress(relayFile);
  const handles = new Map<number, unknown>();
  for (const [index, connection] of record.sockets.entries()) {
    if (connection.role === 'listening') continue;
    const handle = await relayedHandle(port, `${token} ${index}\n`);
    answerAs(handle, connection.local, connection.remote);
    handles.set(index, handle);
  }
  return handles;
}

async function relayAddress(file: string): Promise<RelayState> {
  const deadline = Date.now() + RELAY_PATIENCE_MS;
  for (;;) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as RelayState;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`the relay of its connections did not come up (${(error as Error).message})`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/**
 * Connects, names the connection, and takes its handle away from the socket that made it (never
 * read from: paused before it connected), for the program's socket to be made on.
 */
function relayedHandle(port: number, greeting: string): Promise<RelayedHandle> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.pause();
    socket.once('error', reject);
    socket.once('connect', () =>
      socket.write(greeting, () => {
        const own = socket as Socket & { _handle: RelayedHandle | null };
        const handle = own._handle!;
        own._handle = null;
        socket.removeAllListeners();
        resolve(handle);
      }),
    );
  });
}

/** The handle says the origin's addresses: the program's remoteAddress and localAddress are what they were. */
function answerAs(handle: RelayedHandle, local: string, remote: string | null): void {
  const fill = (where: string | null) => (out: Record<string, unknown>) => {
    if (!where) return -107; // ENOTCONN, as for a socket with no peer
    const colon = where.lastIndexOf(':');
    const address = where.slice(0, colon);
    Object.assign(out, {
      address,
      port: Number(where.slice(colon + 1)),
      family: address.includes(':') ? 'IPv6' : 'IPv4',
    });
    return 0;
  };
  handle.getsockname = fill(local);
  handle.getpeername = fill(remote);
}
