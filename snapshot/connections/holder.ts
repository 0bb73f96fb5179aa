// The holder of a checkpoint's connections (dist/holder.js). At `ferry checkpoint --then stop` the
// program starts it (handover.ts) with its sockets' descriptors as the holder's own, in the order
// of the connections record, before it is ended: the kernel keeps each connection open as long as
// one process holds it, so peers see no reset, and connections to a held listening socket wait in
// its backlog. A restore asks for them on the holder's Unix socket (protocol.ts); the holder hands
// them over through a deliverer, a child started with them and with that very connection as its
// IPC channel, and ends once the restored program has them (or, asked to release them, closes them).
// A restore on another host has it relay them instead (relay.ts): it stays, as the stub on the
// origin, until the run there ends or the link to it is lost; once that run has them, it refuses to
// release them. It answers only requests with the checkpoint's token and its own key, a secret it
// makes and writes 0600 beside its socket in the owner's private runtime directory
// (holder-address.ts): whoever has the checkpoint but is not its owner here is refused.
//
//   node holder.js hold PATH COUNT     descriptors 3…; FERRY_HOLDER_TOKEN in the environment
//   node holder.js deliver COUNT       descriptors 4…; NODE_CHANNEL_FD=3 (started by `hold`)
import { spawn } from 'node:child_process';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { appendFileSync, closeSync, fstatSync, writeFileSync } from 'node:fs';
import { unlinkQuietly } from '../runtime-dir';
import { createServer, Socket } from 'node:net';
import { HOLDER_ANSWER, HOLDER_REQUEST, isHandoverMessage, type HandoverMessage } from './protocol';
import { holderKeyPath } from './holder-address';
import { StubRelay, type RelayEnd } from './relay';
import type { RelaySpec } from './relay-protocol';

/** Where the held descriptors start in the holder (after stdio), and in the deliverer (after its channel). */
const HELD_FROM = 3;
const DELIVERED_FROM = 4;
/** A request is one line (a relay's carries its spec): anything longer is not one. */
const MAX_REQUEST = 64 << 10;

interface Request {
  verb: string;
  token: string;
  /** The holder's key, which only its owner can read. */
  key: string;
  /** The relay's spec, base64 JSON. */
  argument?: string;
}

/** The descriptors held, and the socket a restore asks for them on. */
class Holder {
  private readonly held: number[];
  private delivering = false;
  private relay: StubRelay | undefined;
  private readonly key = randomBytes(32).toString('hex');
  /** Descriptors closed already (listening sockets a host that shares our addresses listens on itself). */
  private readonly closed = new Set<number>();
  private readonly server = createServer((conn) => readRequest(conn, (request) => this.serve(conn, request)));

  constructor(
    private readonly path: string,
    count: number,
    private readonly token: string,
  ) {
    this.held = Array.from({ length: count }, (_, i) => HELD_FROM + i);
    const notSocket = this.held.find((fd) => !isSocket(fd));
    if (notSocket !== undefined) exit(`descriptor ${notSocket} is not a socket: nothing is held`);
    process.umask(0o077);
    try {
      // Before the socket: a client that reaches the socket finds the key.
      writeFileSync(holderKeyPath({ path }), this.key, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      exit(`cannot write its key beside ${path}: ${(error as Error).message}`);
    }
    this.server.on('error', (error) => {
      unlinkQuietly(holderKeyPath({ path }));
      exit(`cannot listen on ${path}: ${error.message}`);
    });
    this.server.listen(path);
    // Ended by a signal (its connections close with it): no socket is left behind to name it.
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const)
      process.on(signal, () => this.end(() => process.exit(1)));
  }

  private serve(conn: Socket, request: Request | undefined): void {
    const answer = (text: string, then?: () => void): void => void conn.end(`${text}\n`, then);
    if (!request || !sameToken(request.token, this.token) || !sameToken(request.key, this.key))
      return answer(HOLDER_ANSWER.refused);
    if (request.verb === HOLDER_REQUEST.status) {
      const state = this.relay ? HOLDER_ANSWER.relaying : HOLDER_ANSWER.holding;
      return answer(`${state} ${this.held.length} ${process.pid}`);
    }
    if (request.verb === HOLDER_REQUEST.release) {
      if (this.delivering) return answer(HOLDER_ANSWER.busy);
      // The run on the host has them: they end with it (or with the link), never under it.
      if (this.relay?.live) return answer(`${HOLDER_ANSWER.relaying} ${process.pid}`);
      this.closeHeld(); // ours were the last copies: the peers see the connections end
      return this.end(() => answer(HOLDER_ANSWER.released, () => process.exit(0)));
    }
    if (this.delivering || this.relay) return answer(HOLDER_ANSWER.busy);
    if (request.verb === HOLDER_REQUEST.relay) return this.startRelay(request.argument, answer);
    if (request.verb !== HOLDER_REQUEST.take) return answer(HOLDER_ANSWER.refused);
    this.delivering = true;
    startDeliverer(conn, this.held, (delivered) => {
      this.delivering = false;
      // The restored program has them: our copies go.
      if (delivered) this.end(() => process.exit(0));
    });
  }

  /** Becomes the stub that relays the connections to a restore on another host (relay.ts). */
  private startRelay(argument: string | undefined, answer: (text: string) => void): void {
    let spec: RelaySpec;
    try {
      spec = JSON.parse(Buffer.from(argument ?? '', 'base64').toString('utf8')) as RelaySpec;
    } catch {
      return answer(HOLDER_ANSWER.refused);
    }
    const log = (line: string) => this.log(line);
    if (!spec.relayListening)
      spec.sockets.forEach((socket, index) => {
        if (socket.role !== 'listening') return;
        closeSync(this.held[index]);
        this.closed.add(this.held[index]);
      });
    log(`relaying ${this.held.length} connection(s) for a restore on another host`);
    this.relay = new StubRelay(this.held, spec, (end) => this.relayEnded(end, spec.relayListening), log);
    answer(`${HOLDER_ANSWER.relaying} ${process.pid}`);
  }

  private relayEnded(end: RelayEnd, keptListening: boolean): void {
    // A relay that ended with its run leaves nothing to look into; one lost or given up leaves its log.
    if (end.kind === 'ended') unlinkQuietly(this.logPath);
    else this.log(`${end.kind}: ${end.why}`);
    this.relay = undefined;
    // Given up before the program went on: held for the next restore, if nothing was let go of meanwhile.
    if (end.kind === 'aborted' && keptListening) return;
    if (end.kind === 'aborted') this.closeHeld();
    this.end(() => process.exit(end.kind === 'lost' ? 1 : 0));
  }

  /** Closes the descriptors, and ends a relay that has not started (its restore is given up). */
  private closeHeld(): void {
    this.relay?.stop();
    this.relay = undefined;
    for (const fd of this.held) if (!this.closed.has(fd)) closeSync(fd);
  }

  /** Beside the socket: what became of a relay, for whoever looks (`ferry ps` names the file). */
  private get logPath(): string {
    return this.path.replace(/\.sock$/, '.log');
  }

  private log(line: string): void {
    try {
      appendFileSync(this.logPath, `${new Date().toISOString()} ${line}\n`, { mode: 0o600 });
    } catch {
      // the runtime directory is gone: nobody is left to read it
    }
  }

  /** Stops listening and removes the socket and the key, then `then`. */
  private end(then: () => void): void {
    this.server.close();
    unlinkQuietly(this.path);
    unlinkQuietly(holderKeyPath({ path: this.path }));
    then();
  }
}

/** Reads `VERB TOKEN KEY [ARGUMENT]\n`, then stops reading: what follows on this connection is for the deliverer. */
function readRequest(conn: Socket, then: (request: Request | undefined) => void): void {
  let text = '';
  conn.on('error', () => undefined);
  const onData = (chunk: Buffer) => {
    text += chunk.toString('latin1');
    const end = text.indexOf('\n');
    if (end < 0 && text.length < MAX_REQUEST) return;
    conn.off('data', onData);
    conn.pause();
    const [verb, token, key, argument] = text.slice(0, Math.max(0, end)).split(' ');
    then(end < 0 || !token || !key ? undefined : { verb, token, key, argument });
  };
  conn.on('data', onData);
}

/**
 * Starts the deliverer on `conn`, answers `ok`, and lets go of `conn` (the deliverer has its own
 * copy): `done(true)` once it says the restore has the connections.
 */
function startDeliverer(conn: Socket, held: number[], done: (delivered: boolean) => void): void {
  const child = spawn(process.execPath, [__filename, 'deliver', String(held.length)], {
    stdio: ['ignore', 'ignore', 'inherit', conn, ...held],
    env: { NODE_CHANNEL_FD: '3' },
  });
  child.on('error', () => done(false));
  child.on('exit', (code) => done(code === 0));
  conn.write(`${HOLDER_ANSWER.ok}\n`, () => conn.destroy());
}

/** In the deliverer: each descriptor as a Node handle, in order, when the restore asks; exit 0 once it has them. */
function deliver(count: number): void {
  const send = process.send!.bind(process) as (message: HandoverMessage, handle?: unknown) => boolean;
  let asked = false;
  process.on('message', (message: unknown) => {
    if (!isHandoverMessage(message)) return;
    if (message.ferry === 'taken') process.exit(0);
    if (message.ferry !== 'take' || asked) return;
    asked = true;
    for (let index = 0; index < count; index++) {
      // Neither read nor written here: only its handle is sent.
      const socket = new Socket({ fd: DELIVERED_FROM + index, readable: false, writable: false });
      send({ ferry: 'connection', index }, (socket as unknown as { _handle: unknown })._handle);
    }
    send({ ferry: 'delivered', count });
  });
  // The restore ended before it had them: the holder keeps them for the next one.
  process.on('disconnect', () => process.exit(1));
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function isSocket(fd: number): boolean {
  try {
    return fstatSync(fd).isSocket();
  } catch {
    return false;
  }
}

function exit(message: string): never {
  process.stderr.write(`ferry holder: ${message}\n`);
  process.exit(1);
}

function main(argv: string[]): void {
  const [mode, ...rest] = argv;
  if (mode === 'hold' && rest.length === 2) {
    const token = process.env.FERRY_HOLDER_TOKEN ?? '';
    delete process.env.FERRY_HOLDER_TOKEN;
    if (token.length < 16) exit('no token');
    new Holder(rest[0], Number(rest[1]), token);
    return;
  }
  if (mode === 'deliver' && rest.length === 1) return deliver(Number(rest[0]));
  exit('usage: holder.js hold PATH COUNT | holder.js deliver COUNT');
}

main(process.argv.slice(2));
