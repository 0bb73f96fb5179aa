// `relay ROOT ID`: the host's end of a relay (connections/relay-protocol.ts), started by the stub
// on the origin through SSH, its stdio the stub's link. It listens on the host's loopback for the
// restore (restore/relayed.ts), which connects once per relayed connection and says which
// (`TOKEN ID`, the token from the run's 0600 relay.json); a connection the stub accepted on the
// origin is opened here to the restored program's server. It tells the stub when the restore
// resumed or failed (the run's status file), and that the run ended; a lost link resets the
// program's relayed sockets, so that the program sees an error, not a clean end.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { connect, createServer, Socket } from 'node:net';
import { join } from 'node:path';
import {
  HEARTBEAT_MS,
  RELAY,
  relayDecoder,
  relayFrame,
  silenceWatch,
  type RelayHello,
  type RelayState,
} from '../../connections/relay-protocol';
import { readRunFile, RELAY_FILE } from './run-dir';

const POLL_MS = 50;
/** A run whose restore has not said resumed or failed by then is not coming. */
const START_PATIENCE_MS = 120_000;

class HostRelay {
  private readonly sockets = new Map<number, Socket>();
  /** What the stub sent a connection before the restore connected for it. */
  private readonly early = new Map<number, Buffer[]>();
  private readonly closed = new Set<number>();
  private readonly link = new Socket({ fd: 1, readable: false });
  private readonly server = createServer({ allowHalfOpen: true }, (socket) => this.claim(socket));
  private readonly token = randomBytes(16).toString('hex');
  private readonly state: RelayState = {
    port: 0,
    token: this.token,
    state: 'waiting',
    open: 0,
    relayed: 0,
    bytesIn: 0,
    bytesOut: 0,
  };
  private readonly silence = silenceWatch(() => this.lose('the origin fell silent'));
  private readonly timers: NodeJS.Timeout[] = [];
  private resumed = false;
  private done = false;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.link.on('error', () => this.lose('the link to the origin broke'));
    process.stdin.on(
      'data',
      relayDecoder((type, id, payload) => this.receive(type, id, payload)),
    );
    process.stdin.on('end', () => this.lose('the link to the origin ended'));
    this.server.listen(0, '127.0.0.1', () => {
      this.state.port = (this.server.address() as { port: number }).port;
      this.save();
    });
    this.timers.push(setInterval(() => this.send(RELAY.ping, 0), HEARTBEAT_MS));
    this.timers.push(setInterval(() => this.watchRun(), POLL_MS));
    this.timers.push(setInterval(() => this.save(), HEARTBEAT_MS));
  }

  private receive(type: number, id: number, payload: Buffer): void {
    this.silence.heard();
    if (type === RELAY.hello) {
      const hello = JSON.parse(payload.toString()) as RelayHello;
      Object.assign(this.state, { stubPid: hello.pid, origin: hello.origin, sockets: hello.sockets });
      return this.save();
    }
    if (type === RELAY.open) return this.open(id, (JSON.parse(payload.toString()) as { local: string }).local);
    const socket = this.sockets.get(id);
    if (!socket) {
      // Kept for a connection the restore has yet to name, not for one that closed.
      if (type === RELAY.data && !this.closed.has(id)) this.early.set(id, [...(this.early.get(id) ?? []), payload]);
      return;
    }
    if (type === RELAY.data) {
      this.state.bytesIn += payload.length;
      if (!socket.write(payload)) this.waitFor(socket);
    } else if (type === RELAY.end) socket.end();
    else if (type === RELAY.close) socket.destroy();
  }

  /** A connection the restore made for one of the program's: bound to its id once it names it. */
  private claim(socket: Socket): void {
    socket.on('error', () => undefined);
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\n');
      if (end < 0) return void (text.length > 256 && socket.destroy());
      socket.off('data', onData);
      const [token, id] = text.slice(0, end).split(' ');
      if (!sameToken(token, this.token) || this.sockets.has(Number(id))) return void socket.destroy();
      const rest = Buffer.from(text.slice(end + 1), 'latin1');
      this.bind(Number(id), socket);
      if (rest.length) socket.emit('data', rest);
    };
    socket.on('data', onData);
  }

  /** A connection the stub accepted on the origin: made to the restored program's server here. */
  private open(id: number, local: string): void {
    const colon = local.lastIndexOf(':');
    const address = local.slice(0, colon);
    const host = address === '0.0.0.0' || address === '' ? '127.0.0.1' : address === '::' ? '::1' : address;
    const socket = connect({ host, port: Number(local.slice(colon + 1)), allowHalfOpen: true });
    socket.on('error', () => undefined);
    this.bind(id, socket);
  }

  private bind(id: number, socket: Socket): void {
    this.sockets.set(id, socket);
    this.state.open++;
    this.state.relayed++;
    socket.on('data', (chunk: Buffer) => {
      this.state.bytesOut += chunk.length;
      if (!this.send(RELAY.data, id, chunk)) this.pauseUntilDrained();
    });
    socket.on('end', () => this.send(RELAY.end, id));
    socket.on('close', (hadError) => {
      if (!this.sockets.delete(id)) return;
      this.closed.add(id);
      this.state.open--;
      this.send(RELAY.close, id, hadError ? 'error' : '');
    });
    for (const chunk of this.early.get(id) ?? []) this.receive(RELAY.data, id, chunk);
    this.early.delete(id);
  }

  private pauseUntilDrained(): void {
    for (const socket of this.sockets.values()) socket.pause();
    this.link.once('drain', () => {
      for (const socket of this.sockets.values()) socket.resume();
    });
  }

  private waitFor(socket: Socket): void {
    process.stdin.pause();
    socket.once('drain', () => process.stdin.resume());
    socket.once('close', () => process.stdin.resume());
  }

  /** Resumed: the stub may read; failed or ended: it is told, and this ends. */
  private watchRun(): void {
    const status = readRunFile(this.dir, 'status');
    if (!this.resumed && status.includes('"event":"resumed"')) {
      this.resumed = true;
      this.state.state = 'relaying';
      this.send(RELAY.go, 0);
      this.save();
    }
    const failed = /"event":"failed","error":("(?:[^"\\]|\\.)*")/.exec(status);
    if (!this.resumed && failed) return this.finish(RELAY.abort, JSON.parse(failed[1]) as string);
    // Removed (ferry stop --remove), or never started.
    const gone = !readRunFile(this.dir, 'meta.json') && (this.resumed || Date.now() - startedAt > START_PATIENCE_MS);
    if (readRunFile(this.dir, 'exit') || gone) this.finish(this.resumed ? RELAY.bye : RELAY.abort, 'the run ended');
  }

  private send(type: number, id: number, payload?: Buffer | string): boolean {
    if (this.done) return true;
    return this.link.write(relayFrame(type, id, payload));
  }

  private lose(why: string): void {
    if (this.done) return;
    // The program sees its relayed connections fail, as it would see a network go.
    for (const socket of this.sockets.values()) socket.resetAndDestroy();
    this.end('lost', why);
  }

  private finish(type: number, why: string): void {
    if (this.done) return;
    this.send(type, 0, why);
    for (const socket of this.sockets.values()) socket.destroy();
    this.end(type === RELAY.bye ? 'ended' : 'aborted', why);
  }

  private end(state: RelayState['state'], why: string): void {
    this.done = true;
    Object.assign(this.state, { state, why, open: 0 });
    this.save();
    this.silence.stop();
    for (const timer of this.timers) clearInterval(timer);
    this.server.close();
    const code = state === 'lost' ? 1 : 0;
    this.link.end(() => process.exit(code));
    // A link that takes nothing more (its TCP stalled) would hold the end forever: this ends anyway.
    setTimeout(() => process.exit(code), HEARTBEAT_MS).unref();
    process.stdin.destroy();
  }

  /** relay.json, 0600, replaced whole: the restore reads the port and token from it, `ferry ps` the rest. */
  private save(): void {
    if (!this.state.port) return;
    const file = join(this.dir, RELAY_FILE);
    try {
      writeFileSync(`${file}.tmp`, JSON.stringify(this.state), { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
    } catch {
      // the run was removed (ferry stop --remove): watchRun ends this
    }
  }
}

const startedAt = Date.now();

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function relayRun(root: string, id: string): void {
  if (!/^[0-9A-Za-z-]+$/.test(id)) throw new Error(`not a run id: ${id}`);
  new HostRelay(join(root, 'runs', id));
}
