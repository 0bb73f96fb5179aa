// Servers and connections made again. A server listens where it listened: on the very socket it
// listened on when a holder kept it (restore/connections.ts), else on its address anew. A
// connection becomes a socket of its Node class on the descriptor the holder handed over,
// attached to its server as Node's own accept does (an HTTP server's parser made afresh: between
// requests it holds nothing), with the program's settings and listeners; one whose descriptor
// did not come (a checkpoint taken with --then continue, a holder gone) is made closed, and its
// 'close' listeners run.
import { K } from '../heap/tags';
import type { RecordOf } from '../heap/decoder';
import type { ProgramFunction, ProgramValue } from '../heap/program-value';

type Resolve = (slot: unknown) => unknown;
type GetBuiltin = (name: string) => ProgramValue;

/** Node's own 'connection' and 'listening' listeners of a server, as it was made (the program's come later). */
export interface NodeServerListeners {
  connection: ProgramFunction[];
  listening: ProgramFunction[];
}

export function makeServer(record: RecordOf<K.Server>, part: Resolve, getBuiltin: GetBuiltin): object {
  return constructRuntimeObject(part(record.proto) as object, getBuiltin('net').Server, [], getBuiltin);
}

export function nodeServerListeners(server: ProgramValue): NodeServerListeners {
  return { connection: server.rawListeners('connection'), listening: server.rawListeners('listening') };
}

/** A socket on `handle` (the held descriptor), or a closed one without it. */
export function makeSocket(record: RecordOf<K.Socket>, handle: unknown, part: Resolve, getBuiltin: GetBuiltin): object {
  const options = handle
    ? { handle, readable: true, writable: true, allowHalfOpen: record.allowHalfOpen }
    : { allowHalfOpen: record.allowHalfOpen };
  return constructRuntimeObject(part(record.proto) as object, getBuiltin('net').Socket, [options], getBuiltin);
}

/**
 * Made by the runtime class it derives from (the program's subclass is the new.target: its
 * prototype, none of its constructor's code), or by `fallback`.
 */
function constructRuntimeObject(
  proto: object,
  fallback: ProgramFunction,
  args: unknown[],
  getBuiltin: GetBuiltin,
): object {
  let base: ProgramValue = proto;
  while (
    base &&
    !(Object.prototype.hasOwnProperty.call(base, 'constructor') && isRuntimeConstructor(base.constructor, getBuiltin))
  )
    base = Object.getPrototypeOf(base);
  const ctor = base?.constructor ?? fallback;
  return Reflect.construct(ctor, args, (proto as ProgramValue).constructor ?? ctor);
}

function isRuntimeConstructor(ctor: unknown, getBuiltin: GetBuiltin): boolean {
  return ['net', 'http', 'https', 'tls', 'http2'].some((name) => {
    try {
      return Object.values(getBuiltin(name)).includes(ctor);
    } catch {
      return false;
    }
  });
}

/** A restored server could not listen again; `whenKnown` hands over Node's error, a tick later. */
export class ServerListenError extends Error {
  constructor(
    readonly where: string,
    readonly whenKnown: (report: (error: Error) => void) => void,
  ) {
    super(`cannot listen on ${where} again`);
  }
}

/**
 * Listens again where it listened, binding at once: a server not listening right after has failed,
 * and Node emits the reason at the next tick. (listen(port, host) would look the address up first,
 * a tick later; `_listen2` is the step Node takes after the lookup, kept under that name for code
 * that wraps it.) A held listening socket is listened on as it is: connections that came while
 * the program was away wait in its backlog. The program's listeners are added once it listens, so
 * they see no second 'listening' and no error of ours.
 */
export function listen(
  server: ProgramValue,
  record: RecordOf<K.Server>,
  resolve: Resolve,
  net: ProgramValue,
  held?: unknown,
): void {
  for (let i = 0; i < record.settings.length; i += 2)
    server[resolve(record.settings[i]) as string] = resolve(record.settings[i + 1]);
  const port = resolve(record.port);
  const address = resolve(record.address);
  let failure: Error | undefined;
  let report: ((error: Error) => void) | undefined;
  const onError = (error: Error) => {
    failure = error;
    report?.(error);
  };
  server.once('error', onError);
  if (held) server.listen(held);
  else if (typeof port === 'number') server._listen2(address, port, net.isIP(address), undefined, undefined, 0);
  else if (typeof address === 'string') server.listen(address);
  if (!server.listening) {
    const where = typeof port === 'number' ? `${address}:${port}` : String(address);
    throw new ServerListenError(where, (then) => (failure ? then(failure) : (report = then)));
  }
  server.off('error', onError);
  const listeners = listenerPairs(record.listeners, resolve);
  for (const [event, fn] of listeners) if (event !== 'listening') server.on(event, fn);
  // Added after Node's 'listening' (emitted at the next tick): the program heard it already.
  server.once('listening', () => {
    for (const [event, fn] of listeners) if (event === 'listening') server.on(event, fn);
  });
}

function listenerPairs(slots: unknown[], resolve: Resolve): Array<[string, (...args: unknown[]) => void]> {
  const pairs: Array<[string, (...args: unknown[]) => void]> = [];
  for (let i = 0; i < slots.length; i += 2)
    pairs.push([resolve(slots[i]) as string, resolve(slots[i + 1]) as (...args: unknown[]) => void]);
  return pairs;
}

/** The server a connection came from, once it listens, and what Node attaches to its connections. */
export interface AcceptingServer {
  server: ProgramValue;
  node: NodeServerListeners;
  /** Its connection tracking is set up (HTTP does it on 'listening', which comes a tick later). */
  tracking: boolean;
}

/** Makes a restored connection live, with the program's listeners and settings, in the state it was in. */
export function activateSocket(
  socket: ProgramValue,
  record: RecordOf<K.Socket>,
  resolve: Resolve,
  from?: AcceptingServer,
): void {
  const listeners = listenerPairs(record.listeners, resolve);
  if (!socket._handle) {
    for (const [event, fn] of listeners) socket.on(event, fn);
    socket.destroy();
    return;
  }
  if (from) acceptedBy(socket, from, record.serverParser);
  if (record.timeout > 0) restoreTimeout(socket, record.timeout, from?.server);
  const encoding = resolve(record.encoding);
  if (typeof encoding === 'string') socket.setEncoding(encoding);
  const unread = resolve(record.unread);
  if (unread !== null && unread !== undefined)
    socket.unshift(unread, typeof unread === 'string' ? encoding : undefined);
  for (const [event, fn] of listeners) socket.on(event, fn);
  if (record.paused) socket.pause();
  if (!record.refed) socket.unref();
}

/** As net's onconnection does; then the server's own handling (an HTTP parser) when it had one. */
function acceptedBy(socket: ProgramValue, from: AcceptingServer, serverParser: boolean): void {
  const { server } = from;
  server._connections++;
  socket.server = server;
  socket._server = server;
  if (!serverParser) return;
  // HTTP's connection tracking (what closeIdleConnections() and its timeouts see) is set up on
  // 'listening', a tick away: set up now (Node's listener keeps a list it has), so that this connection is in it.
  if (!from.tracking) for (const fn of from.node.listening) fn.call(server);
  from.tracking = true;
  for (const fn of from.node.connection) fn.call(server, socket);
}

/**
 * The socket's timeout again. On an HTTP server's connection it is the keep-alive timeout between
 * requests, which Node lifts when the next request comes: lifted the same way here (the parser is
 * new, and does not know it set one).
 */
function restoreTimeout(socket: ProgramValue, timeout: number, server: ProgramValue): void {
  socket.setTimeout(timeout);
  const parser = socket.parser;
  if (!server || !parser || timeout === server.timeout) return;
  const onIncoming = parser.onIncoming;
  parser.onIncoming = function (...args: unknown[]) {
    parser.onIncoming = onIncoming;
    socket.setTimeout(server.timeout || 0);
    return onIncoming.apply(this, args);
  };
}
