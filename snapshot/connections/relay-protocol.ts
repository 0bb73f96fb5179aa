// The relay of a program's connections between the stub on the origin (the holder, relay.ts) and
// the host helper beside the restored program (remote/host-helper/relay.ts), over the stdio of
// one SSH session: frames of remote/wire-protocol.ts whose payload starts with a connection's id
// (u32 BE). Ids below the connections record's length are its connections; the stub numbers the
// connections it accepts on a held listening socket after them.
//
//   stub → host   hello {pid, origin, sockets}       once, first (sockets: RelaySpec's)
//   stub → host   open {local} on a new id           a connection accepted on the origin's listening socket `local`
//   host → stub   go                                 the restore resumed: the stub starts reading and accepting
//   host → stub   abort {why}                        the restore failed: the stub keeps holding, relays nothing
//   host → stub   bye                                the run ended: the stub closes what is left and ends
//   both          data, end (half close), close {why}   one connection's bytes and its ends
//   both          ping                               every HEARTBEAT_MS: silence past SILENCE_MS is a lost link
//
// A link that ends without a bye (or falls silent) is lost: the host resets the program's relayed
// sockets (it sees ECONNRESET), the stub closes the real ones. No imports but the frame codec and
// types: the holder and the host helper, both single files, use this file.
import { encodeFrame, frameDecoder } from '../remote/wire-protocol';
import type { CarriedConnection } from '../format/connections';

export const RELAY = {
  hello: 11,
  open: 12,
  go: 13,
  abort: 14,
  bye: 15,
  data: 16,
  end: 17,
  close: 18,
  ping: 19,
} as const;

export const HEARTBEAT_MS = 2_000;
export const SILENCE_MS = 10_000;

/** Connection-less frames (hello, go, abort, bye, ping) carry id 0. */
export function relayFrame(type: number, id: number, payload: Buffer | string = Buffer.alloc(0)): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const head = Buffer.alloc(4);
  head.writeUInt32BE(id, 0);
  return encodeFrame(type, Buffer.concat([head, body]));
}

export function relayDecoder(onFrame: (type: number, id: number, payload: Buffer) => void): (chunk: Buffer) => void {
  return frameDecoder((type, payload) => onFrame(type, payload.readUInt32BE(0), payload.subarray(4)));
}

/** One held descriptor as the checkpoint names it. */
export type RelayedSocket = Pick<CarriedConnection, 'role' | 'local' | 'remote'>;

/** The stub's first frame. */
export interface RelayHello {
  pid: number;
  origin: string;
  sockets: RelayedSocket[];
}

/** What the stub asks the holder for (the `relay` request's argument, base64 JSON). */
export interface RelaySpec {
  /** The command that reaches the host helper's `relay` (ssh … helper.js relay ROOT RUN), and its environment. */
  command: string[];
  env: Record<string, string>;
  /** Each held descriptor's role and address, in order (format/connections.ts). */
  sockets: RelayedSocket[];
  /** Keep accepting on the held listening sockets and relay what comes; else they are closed (a host that shares our addresses listens on them). */
  relayListening: boolean;
  /** This machine's name, for `ferry ps` on the host. */
  origin: string;
}

/** What the host helper keeps in the run's relay.json (0600): how the restore reaches it, and for `ferry ps`. */
export interface RelayState {
  port: number;
  token: string;
  /** `aborted`: the restore failed (or never came), and the stub holds the connections still. */
  state: 'waiting' | 'relaying' | 'ended' | 'aborted' | 'lost';
  origin?: string;
  stubPid?: number;
  /** The connections the stub held when it started, its listening sockets among them. */
  sockets?: RelayedSocket[];
  /** Connections relayed now, and in all. */
  open: number;
  relayed: number;
  bytesIn: number;
  bytesOut: number;
  why?: string;
}

/** What `ferry ps` shows of a run's relay: its state without how to reach it. */
export type RelayReport = Omit<RelayState, 'port' | 'token'>;

/** Calls `onSilence` once nothing was heard for SILENCE_MS; `heard()` on every frame, `stop()` at the end. */
export function silenceWatch(onSilence: () => void): { heard(): void; stop(): void } {
  let last = Date.now();
  const timer = setInterval(() => {
    if (Date.now() - last > SILENCE_MS) onSilence();
  }, HEARTBEAT_MS);
  timer.unref();
  return { heard: () => void (last = Date.now()), stop: () => clearInterval(timer) };
}
