// An emitter's listeners for one event are a function, or an array once there are two or more.
// Node 24 keeps on each such array a count of the emit() loops running over it (lib/events.js
// `kEmitting`, a symbol private to that module): while one runs, removing a listener replaces the
// array instead of splicing it under the loop. An array without the count (made by Node 20 or 22,
// or by a restore) reads NaN there, so a `once` listener removing itself in emit() shifts the next
// listener out of that loop, which never calls it (a lost 'end' after a pipe's own `unpipe`).
// The count is never carried (no emit() loop runs across a checkpoint: one paused under a
// Checkpoint Here is played by Ferry's own code), and every restored listener array gets it at 0
// where the restoring Node keeps one.
import type { ProgramValue } from './program-value';

/** Node's symbol for the count of emit() loops over a listener array, found on a probe; undefined before Node 24. */
export function emitLoopCountKey(events: ProgramValue): symbol | undefined {
  const probe = new events.EventEmitter();
  const listener = () => undefined;
  probe.on('probe', listener);
  probe.on('probe', listener);
  return Object.getOwnPropertySymbols(probe._events.probe).find((key) => key.description === 'events.emitting');
}
