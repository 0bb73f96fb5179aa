// How a restore takes a checkpoint's connections from their holder (holder.ts). Every request is
// one line, `VERB TOKEN KEY [ARGUMENT]`: the checkpoint's token, and the key the holder wrote beside
// its socket for its owner (holder-address.ts); one without both is `refused`. `ferry restore`
// sends `take`; the holder answers `ok`, and from then on that connection is a Node IPC channel
// (NODE_CHANNEL_FD) between a deliverer the holder starts and the restoring process, which speak
// these messages:
//
//   restore → deliverer   { ferry: 'take' }
//   deliverer → restore   { ferry: 'connection', index } with its descriptor, once per connection
//   deliverer → restore   { ferry: 'delivered', count }
//   restore → deliverer   { ferry: 'taken' }    the program has them: the holder lets go of its copies
//
// A restore that fails before 'taken' leaves them with the holder, for the next attempt. A restore
// that does not take them (one not started by `ferry restore` or VS Code's Resume Locally, in the
// editor's terminal too through target/terminal-handover.ts: `node restore.js` by hand, a test's)
// says `release` first: the holder closes them and ends, answering `released`, and the restored
// program gets them closed and listens anew on its ports (`ferry release` and VS Code's Release
// Held Connections say it alone). `status` answers
// `holding COUNT PID`, or `relaying COUNT PID` once `relay SPEC` (a restore on another host) made
// the holder the stub that relays them there (relay.ts, relay-protocol.ts), which answers
// `relaying PID`. A release is answered `relaying PID` once the run there has them (the stub ends
// with that run); before that, it ends the relay, whose restore is then given up. No imports: the
// restore runtime and the holder, both single files, use this file.

export type HandoverMessage =
  | { ferry: 'take' }
  | { ferry: 'connection'; index: number }
  | { ferry: 'delivered'; count: number }
  | { ferry: 'taken' };

/** Lines on the holder's socket before the channel starts (or instead of it). */
export const HOLDER_REQUEST = { take: 'take', status: 'status', release: 'release', relay: 'relay' } as const;
export const HOLDER_ANSWER = {
  ok: 'ok',
  holding: 'holding',
  busy: 'busy',
  refused: 'refused',
  released: 'released',
  relaying: 'relaying',
} as const;

export function isHandoverMessage(value: unknown): value is HandoverMessage {
  return typeof value === 'object' && value !== null && typeof (value as { ferry?: unknown }).ferry === 'string';
}
