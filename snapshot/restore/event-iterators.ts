// An events.on() iterator made again (capture/agent/event-iterators.ts): `on` itself makes it, on
// the restored emitter, while that emitter is still empty. Its listeners are what `on` adds: they
// are taken as `on` adds them (an `on` method of ours, on the emitter for that call only), and go
// into the emitter when its own listeners are filled in, as the program's listeners do. Its state
// comes back through its own functions: unread events through its listener, an error through its
// error listener, an end through return(), waiting next() calls by calling next() again.
import type { RecordOf } from '../heap/decoder';
import { EventIteratorFlag, type K } from '../heap/tags';
import type { ProgramFunction, ProgramValue } from '../heap/program-value';

export interface MadeEventIterator {
  iterator: AsyncIterator<unknown>;
  /** Its listeners on the emitter, by role (ferry:eventIteratorListener). */
  listeners: Record<'event' | 'error' | 'close', ProgramFunction | undefined>;
  /** The promises of its waiting next() calls, oldest first: they stand for the checkpoint's. */
  requests: Array<Promise<unknown>>;
  /** Puts back its unread events and its error or end: once the emitter is filled in. */
  replay(): void;
}

export function makeEventIterator(
  record: RecordOf<K.EventIterator>,
  part: (slot: unknown) => unknown,
  getBuiltin: (name: string) => ProgramValue,
): MadeEventIterator {
  const emitter = part(record.emitter) as ProgramValue;
  const finished = (record.flags & EventIteratorFlag.Finished) !== 0;
  // readline's is made by readline, which alone can ask `on` for its first-argument mode (and keeps
  // it on the interface); a finished one too, its unread lines given again before it is closed.
  const byReadline = (record.flags & EventIteratorFlag.Readline) !== 0;
  const added: Array<[string | symbol, ProgramFunction]> = [];
  const iterator = withOnOfOurs(emitter, added, () =>
    byReadline
      ? getBuiltin('readline').Interface.prototype[Symbol.asyncIterator].call(emitter)
      : getBuiltin('events').on(emitter, finished ? 'ferry:finished' : part(record.event), {
          lowWaterMark: record.lowWatermark,
          highWaterMark: record.highWatermark,
          close: record.closeEvents.map(part),
        }),
  ) as AsyncIterator<unknown>;
  const listeners = {
    event: added[0]?.[1],
    error: added.find(([name], i) => i > 0 && name === 'error')?.[1],
    close: added.find(([name], i) => i > 0 && name !== 'error')?.[1],
  };
  const requests = record.pending.map(() => iterator.next());
  const replay = () => {
    for (const event of record.buffered)
      if (byReadline) listeners.event!(part(event));
      else listeners.event!(...(part(event) as unknown[]));
    if (!finished) return;
    const error = part(record.error);
    if (error) listeners.error!(error);
    else void iterator.return!();
  };
  return { iterator, listeners, requests, replay };
}

/** Runs `make` with an own `on` method on the emitter that records what is added, then takes it away again. */
function withOnOfOurs(
  emitter: ProgramValue,
  added: Array<[string | symbol, ProgramFunction]>,
  make: () => unknown,
): unknown {
  const own = Reflect.getOwnPropertyDescriptor(emitter, 'on');
  Reflect.defineProperty(emitter, 'on', {
    value: (name: string | symbol, listener: ProgramFunction) => added.push([name, listener]),
    configurable: true,
    writable: true,
  });
  try {
    return make();
  } finally {
    if (own) Reflect.defineProperty(emitter, 'on', own);
    else Reflect.deleteProperty(emitter, 'on');
  }
}
