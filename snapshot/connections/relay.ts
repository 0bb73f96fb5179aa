// The stub's side of a relay (relay-protocol.ts), run by the holder (holder.ts) once a restore on
// another host asks for it: the held descriptors stay here, their bytes go through one SSH session
// to the host helper, where the restored program holds relayed sockets in their place. Nothing is
// read from a held connection before the host says the restore resumed (`go`): until then the
// descriptors are as the checkpoint left them, for the next restore (or, in a migration given up,
// for the origin, which still has them).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, Socket, type Server } from 'node:net';
import {
  HEARTBEAT_MS,
  RELAY,
  relayDecoder,
  relayFrame,
  silenceWatch,
  type RelayHello,
  type RelaySpec,
} from './relay-protocol';

export type RelayEnd =
  /** The restore failed before the program went on: the descriptors are untouched, still held. */
  | { kind: 'aborted'; why: string }
  /** The run ended, or the link was lost after the program went on: the connections are closed. */
  | { kind: 'ended' }
  | { kind: 'lost'; why: string };

export class StubRelay {
  private readonly child: ChildProcess;
  private readonly sockets = new Map<number, Socket>();
  /** What the host sent a connection before `go` made its socket. */
  private readonly early = new Map<number, Buffer[]>();
  private readonly servers: Server[] = [];
  private nextId: number;
  private started = false;
  private finished = false;
  private readonly silence = silenceWatch(() => this.finish({ kind: 'lost', why: 'the host fell silent' }));
  private readonly heartbeat = setInterval(() => this.send(RELAY.ping, 0), HEARTBEAT_MS);

  constructor(
    private readonly fds: number[],
    private readonly spec: RelaySpec,
    private readonly onEnd: (end: RelayEnd) => void,
    log: (line: string) => void,
  ) {
    this.nextId = fds.length;
    this.child = spawn(spec.command[0], spec.command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: spec.env });
    this.child.stderr!.on('data', (chunk: Buffer) => log(chunk.toString('utf8').trimEnd()));
    this.child.stdin!.on('error', () => undefined);
    this.child.stdout!.on(
      'data',
      relayDecoder((type, id, payload) => this.receive(type, id, payload)),
    );
    this.child.on('error', (error) => this.finish(this.lostOrAborted(`cannot start ssh: ${error.message}`)));
    this.child.on('close', () => this.finish(this.lostOrAborted('the SSH session to the host ended')));
    const hello: RelayHello = { pid: process.pid, origin: spec.origin, sockets: spec.sockets };
    this.send(RELAY.hello, 0, JSON.stringify(hello));
  }

  /** Whether the held descriptors became sockets of ours (after `go`): closed with them, not by the holder. */
  get live(): boolean {
    return this.started;
  }

  /** Ends the relay here (a release): the SSH session goes, and the connections if they are live. */
  stop(): void {
    this.finished = true;
    this.cleanUp();
    this.closeLive();
  }

  private lostOrAborted(why: string): RelayEnd {
    return this.started ? { kind: 'lost', why } : { kind: 'aborted', why };
  }

  private receive(type: number, id: number, payload: Buffer): void {
    this.silence.heard();
    if (type === RELAY.go) return this.go();
    if (type === RELAY.abort) return this.finish({ kind: 'aborted', why: payload.toString() });
    if (type === RELAY.bye) return this.finish({ kind: 'ended' });
    const socket = this.sockets.get(id);
    if (!socket) {
      if (type === RELAY.data && !this.started) this.early.set(id, [...(this.early.get(id) ?? []), payload]);
      return;
    }
    if (type === RELAY.data) this.writeTo(socket, payload);
    else if (type === RELAY.end) socket.end();
    else if (type === RELAY.close) socket.destroy();
  }

  /** The program runs on the host: every held connection is read and relayed, every listening socket accepts. */
  private go(): void {
    if (this.started) return;
    this.started = true;
    this.spec.sockets.forEach((s, index) => {
      if (s.role !== 'listening') this.relay(index, new Socket({ fd: this.fds[index], allowHalfOpen: true }));
      else if (this.spec.relayListening) this.accept(this.fds[index], s.local);
    });
    for (const [id, chunks] of this.early) for (const chunk of chunks) this.receive(RELAY.data, id, chunk);
    this.early.clear();
  }

  private accept(fd: number, local: string): void {
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => {
      const id = this.nextId++;
      this.send(RELAY.open, id, JSON.stringify({ local }));
      this.relay(id, socket);
      socket.resume();
    });
    server.on('error', () => undefined);
    server.listen({ fd });
    this.servers.push(server);
  }

  private relay(id: number, socket: Socket): void {
    this.sockets.set(id, socket);
    socket.on('data', (chunk: Buffer) => {
      if (!this.send(RELAY.data, id, chunk)) this.pauseReadingUntilDrained();
    });
    socket.on('end', () => this.send(RELAY.end, id));
    socket.on('error', () => undefined);
    socket.on('close', (hadError) => {
      if (this.sockets.delete(id)) this.send(RELAY.close, id, hadError ? 'error' : '');
    });
  }

  /** The SSH session takes less than the peers send: every connection waits for it. */
  private pauseReadingUntilDrained(): void {
    for (const socket of this.sockets.values()) socket.pause();
    this.child.stdin!.once('drain', () => {
      for (const socket of this.sockets.values()) socket.resume();
    });
  }

  /** A peer that takes less than the host sends: the whole session waits for it. */
  private writeTo(socket: Socket, chunk: Buffer): void {
    if (socket.write(chunk)) return;
    this.child.stdout!.pause();
    socket.once('drain', () => this.child.stdout!.resume());
    socket.once('close', () => this.child.stdout!.resume());
  }

  private send(type: number, id: number, payload?: Buffer | string): boolean {
    if (this.finished || !this.child.stdin!.writable) return true;
    return this.child.stdin!.write(relayFrame(type, id, payload));
  }

  private finish(end: RelayEnd): void {
    if (this.finished) return;
    this.finished = true;
    this.cleanUp();
    // After the program went on, ours are the connections: closed with the relay (a lost link or an ended run).
    this.closeLive();
    this.onEnd(end);
  }

  private closeLive(): void {
    for (const socket of this.sockets.values()) socket.destroy();
    for (const server of this.servers) server.close();
  }

  private cleanUp(): void {
    this.silence.stop();
    clearInterval(this.heartbeat);
    this.child.stdin!.destroy();
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
  }
}
