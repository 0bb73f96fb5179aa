// The listeners of a Node EventTarget (an AbortSignal), read from its internal lists: a map under
// the symbol kEvents from type to a linked list of Listener records, and under kHandlers the
// `on<type>` handler attributes (Node's wrapper, holding the program's function as `handler`).
// They travel flat, as factory arguments (type, listener, ListenerFlag bits) and are added again
// in the same order at restore (heap/builtins.ts, ferry:newAbortController).
import { ListenerFlag } from '../../heap/tags';
import { symbolByDescription } from '../../heap/builtins';
import type { ProgramValue } from '../../heap/program-value';

interface ListenerRecord {
  next?: ListenerRecord;
  listener: unknown;
}

function symbolValue(target: object, description: string): ProgramValue {
  const key = symbolByDescription(target, description);
  return key === undefined ? undefined : (target as ProgramValue)[key];
}

/** Whether any listener waits on `target`. */
export function hasListeners(target: object): boolean {
  return (symbolValue(target, 'kEvents')?.size ?? 0) > 0;
}

/** The listeners in the order they fire, flat (type, listener, flags, ...), or why they cannot be carried. */
export function flatListeners(target: object): unknown[] | string {
  const events: Map<string, { next?: ListenerRecord }> | undefined = symbolValue(target, 'kEvents');
  const handlers: Map<string, { handler?: unknown }> | undefined = symbolValue(target, 'kHandlers');
  const flat: unknown[] = [];
  for (const [type, root] of events ?? []) {
    for (let record = root.next; record; record = record.next) {
      // The Listener class's own getters read its flag bits, whatever their layout in this Node version.
      const is = (name: string) => Boolean(Reflect.get(Object.getPrototypeOf(record), name, record));
      if (is('removed')) continue;
      if (is('weak') || is('isNodeStyleListener') || is('resistStopPropagation'))
        return `a listener Node itself added for '${type}' (not carried yet)`;
      const attribute = handlers?.get(type) === record.listener;
      const flags =
        (is('once') ? ListenerFlag.Once : 0) |
        (is('capture') ? ListenerFlag.Capture : 0) |
        (is('passive') ? ListenerFlag.Passive : 0) |
        (attribute ? ListenerFlag.HandlerAttribute : 0);
      flat.push(type, attribute ? handlers!.get(type)!.handler : record.listener, flags);
    }
  }
  return flat;
}
