// The connections a checkpoint carries (manifest `handles.connections`): the program's listening
// TCP sockets and its established connections, each named by the heap record of the object that
// owns it. At a `--then stop` checkpoint their descriptors go to a holder process on this machine
// (snapshot/connections/), which keeps them open until `ferry restore` takes them: the peers see
// neither a reset nor a refused connection. No imports: the capture agent uses this file.

/** One descriptor the program held. */
export interface CarriedConnection {
  /** The heap record of its object: a socket (K.Socket) or a listening server (K.Server). */
  object: number;
  /** A server's listening socket, a connection one of them accepted, or one the program opened. */
  role: 'listening' | 'accepted' | 'client';
  /** Its descriptor number in the program at the checkpoint: what the holder is handed. */
  fd: number;
  /** This end and the peer's (`address:port`, or a path for a Unix socket), for `ferry inspect`. */
  local: string;
  remote: string | null;
}

/** Where the holder of a checkpoint's connections waits for the restore. */
export interface ConnectionHolder {
  /** Its Unix socket, in the user's private runtime directory (0700). */
  path: string;
  /** What a restore says to be given the connections: only this checkpoint has it. */
  token: string;
}

export interface ConnectionsRecord {
  sockets: CarriedConnection[];
  /**
   * Who holds them until the restore; null when they stayed with the program (`--then continue`):
   * the restored copy then gets them closed (their 'close' listeners run) and listens anew.
   */
  holder: ConnectionHolder | null;
}

export const CONNECTION_ROLES: ReadonlyArray<CarriedConnection['role']> = ['listening', 'accepted', 'client'];

/** How `ferry inspect` and warnings name a connection. */
export function describeConnection(c: Pick<CarriedConnection, 'role' | 'local' | 'remote'>): string {
  return c.role === 'listening' ? `${c.local} (listening)` : `${c.local} ↔ ${c.remote ?? '?'} (${c.role})`;
}
