// Established connections and listening sockets, carried through a checkpoint (format/connections.ts).
// A socket is carried between messages of its protocol: not while it is being opened, written to,
// closed, or while an HTTP request or fetch() is under way on it (those are waited for at the idle
// point, capture/pause.ts); a TLS socket never (its session keys stay in OpenSSL). What it holds
// is written as a Socket record: its server, settings, what it read that the program did not
// consume yet, the program's listeners and properties. Node's own state on it (an HTTP server's
// parser) is made again at restore by the server's own connection handling.
import { K, SocketFlag } from '../../heap/tags';
import type { CarriedConnection } from '../../format/connections';
import type { HeapWalker } from './walker';
import type { ProgramValue } from '../../heap/program-value';

export type SocketVerdict = { carry: 'accepted' | 'client' } | { wait: string } | { refuse: string } | { gone: true };

/**
 * Whether a net.Socket can be carried now. Self-contained (capture/pause.ts sends it into the
 * target through callInTarget, the agent calls it in place): it names no import.
 */
export function socketVerdict(socket: ProgramValue): SocketVerdict {
  if (socket.destroyed) return { gone: true };
  const handle = socket._handle;
  const peer = socket.remoteAddress
    ? `${socket.remoteAddress}:${socket.remotePort}`
    : handle?.constructor?.name === 'Pipe'
      ? 'a Unix socket'
      : 'its peer';
  if (socket.encrypted)
    return {
      refuse: `a TLS connection with ${peer}: its session keys cannot move with the program (close it on 'ferry:checkpoint')`,
    };
  if (socket.connecting || !handle) return { wait: `a connection being opened to ${peer}` };
  // fetch() (undici) keeps its parser under a symbol: its idle connections were closed, the others are busy.
  if (Object.getOwnPropertySymbols(socket).some((key) => key.description === 'parser'))
    return { wait: `a fetch() request to ${peer}` };
  if (socket._httpMessage) return { wait: `an HTTP request on the connection with ${peer}` };
  const server = socket.server;
  if (server && !server.listening) return { wait: `a connection with ${peer} of a server being closed` };
  if (server && socket.parser && httpMessageUnderWay(server, socket.parser))
    return { wait: `an HTTP request being received from ${peer}` };
  if (socket.writableLength > 0 || socket._writableState?.writing) return { wait: `data being sent to ${peer}` };
  if (socket.readableEnded || socket.writableEnded || socket._readableState?.ended)
    return { wait: `a connection with ${peer} being closed` };
  return { carry: server ? 'accepted' : 'client' };

  /** An HTTP server's parsers with a message begun and not complete (Node's ConnectionsList). */
  function httpMessageUnderWay(httpServer: ProgramValue, parser: object): boolean {
    const key = Object.getOwnPropertySymbols(httpServer).find((s) => s.description === 'http.server.connections');
    const active: object[] | undefined = key && httpServer[key]?.active?.();
    return !!active && active.includes(parser);
  }
}

/** Own properties Node puts on a socket (besides those a fresh one has): never the program's. */
const NODE_SOCKET_KEYS = [
  'parser',
  'on',
  'addListener',
  'prependListener',
  'setEncoding',
  '_paused',
  '_httpMessage',
  'timeout',
  '_peername',
  '_host',
  '_sockname',
  'server',
  '_server',
  '_handle',
];

/** Writes the carried sockets' records and lists every descriptor the checkpoint carries. */
export class CarriedSockets {
  readonly connections: CarriedConnection[] = [];
  private readonly verdicts = new Map<object, SocketVerdict>();
  private readonly nodeKeys: Set<string | symbol>;

  constructor(
    private readonly net: ProgramValue,
    private readonly writeListeners: (walker: HeapWalker, emitter: ProgramValue, id: number) => void,
  ) {
    this.nodeKeys = new Set([...Reflect.ownKeys(new net.Socket()), ...NODE_SOCKET_KEYS]);
  }

  verdict(socket: object): SocketVerdict {
    let verdict = this.verdicts.get(socket);
    if (!verdict) this.verdicts.set(socket, (verdict = socketVerdict(socket)));
    return verdict;
  }

  carries(value: object): boolean {
    return value instanceof this.net.Socket && 'carry' in this.verdict(value);
  }

  /** A listening server's socket goes with the connections (a TCP one: a Unix socket's path is listened on again). */
  listening(server: ProgramValue, id: number): void {
    const handle = server._handle;
    if (handle?.constructor?.name !== 'TCP') return;
    const address = server.address();
    this.connections.push({
      object: id,
      role: 'listening',
      fd: handle.fd,
      local: `${address.address}:${address.port}`,
      remote: null,
    });
  }

  write(walker: HeapWalker, socket: ProgramValue, id: number): void {
    const verdict = this.verdict(socket) as { carry: 'accepted' | 'client' };
    const state = socket._readableState;
    walker.out.byte(K.Socket);
    walker.out.byte(
      (socket._handle.hasRef() ? SocketFlag.Refed : 0) |
        (socket.readableFlowing === false ? SocketFlag.Paused : 0) |
        (socket.allowHalfOpen ? SocketFlag.AllowHalfOpen : 0) |
        (socket.server && socket.parser ? SocketFlag.ServerParser : 0),
    );
    walker.value(verdict.carry === 'accepted' ? socket.server : null, id, 'server');
    walker.out.double(typeof socket.timeout === 'number' ? socket.timeout : 0);
    walker.value(state.encoding ?? null, id, 'encoding');
    walker.value(unconsumed(state), id, '[[Unread]]');
    this.writeListeners(walker, socket, id);
    walker.tail(socket, id, (key) => this.nodeKeys.has(key));
    this.connections.push({
      object: id,
      role: verdict.carry,
      fd: socket._handle.fd,
      local: endpoint(socket.localAddress, socket.localPort, socket._handle),
      remote: endpoint(socket.remoteAddress, socket.remotePort, socket._handle),
    });
  }
}

/** What the socket read that the program has not consumed (a paused socket's buffer): one Buffer, or the text its decoder made. */
function unconsumed(state: ProgramValue): Buffer | string | null {
  if (!state || state.length === 0) return null;
  // Node 20 keeps a BufferList, Node 22 an array read from `bufferIndex`.
  const chunks: Array<Buffer | string> = Array.isArray(state.buffer)
    ? state.buffer.slice(state.bufferIndex ?? 0)
    : [...state.buffer];
  return chunks.every((c) => typeof c === 'string') ? chunks.join('') : Buffer.concat(chunks as Buffer[]);
}

function endpoint(address: string | undefined, port: number | undefined, handle: ProgramValue): string {
  if (address) return `${address}:${port}`;
  return handle?.constructor?.name === 'Pipe' ? 'a Unix socket' : '?';
}
