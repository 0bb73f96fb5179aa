// Node's readline Interface on a stream (not a terminal), carried as data: the interface is an
// ordinary object keyed partly by symbols private to Node's readline module, and the listeners its
// constructor puts on its input and on itself close over it. Both sides find those symbols on a
// probe interface (`probe:Interface.<description>`, as node-streams.ts does for streams), and the
// restore makes the listeners again as Ferry's copies of Node's (the capture checks that the
// program's are the very code copied here, or refuses).
import type { ProgramFunction, ProgramValue } from './program-value';

/**
 * The symbols of a readline Interface, and from Node 24 on the accessors it puts on itself and the
 * history it keeps in an object of a class of Node's, as [`probe:` path, value] pairs, found on a
 * probe made on an input of ours that does nothing (no tick, no listener of the program's runs).
 * Writing a partial line and asking a question makes the symbols it only sets once used.
 */
export function readlineProbes(readline: ProgramValue, events: ProgramValue): Array<[string, unknown]> {
  const input = Object.assign(new events.EventEmitter(), { resume() {}, pause() {} });
  const probe = new readline.Interface({ input, terminal: false });
  probe.write('probe');
  probe.question('', () => undefined);
  const found = [...ownSymbols('probe:Interface.', probe), ...ownAccessors('probe:Interface.', probe)];
  // Node 24's ReplHistory (lib/internal/repl/history.js): data under symbols of its own, its methods on its prototype.
  const history = Object.getOwnPropertyDescriptor(probe, 'historyManager')?.value as object | undefined;
  if (history) {
    found.push(['probe:Interface.historyManager.prototype', Object.getPrototypeOf(history)]);
    found.push(...ownSymbols('probe:Interface.historyManager.', history));
  }
  probe.close();
  return found;
}

function ownSymbols(prefix: string, object: object): Array<[string, symbol]> {
  return Object.getOwnPropertySymbols(object).map((key) => [`${prefix}${key.description ?? ''}`, key]);
}

/** Getters and setters an object holds as its own properties (the same functions on every Interface). */
function ownAccessors(prefix: string, object: object): Array<[string, ProgramFunction]> {
  const found: Array<[string, ProgramFunction]> = [];
  for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(object))) {
    if (descriptor.get) found.push([`${prefix}${name}.get`, descriptor.get]);
    if (descriptor.set) found.push([`${prefix}${name}.set`, descriptor.set]);
  }
  return found;
}

/** The listeners an Interface not on a terminal adds (lib/internal/readline/interface.js), by name. */
export const READLINE_LISTENER_NAMES = ['onerror', 'ondata', 'onend', 'onSelfCloseWithoutTerminal'] as const;
export type ReadlineListenerName = (typeof READLINE_LISTENER_NAMES)[number];

/**
 * The source of each of those listeners in the Node versions whose code the copies below are (its
 * white space folded): a listener whose source differs is not carried.
 */
export const READLINE_LISTENER_SOURCES: Record<ReadlineListenerName, string> = {
  onerror: "function onerror(err) { self.emit('error', err); }",
  ondata: 'function ondata(data) { self[kNormalWrite](data); }',
  onend:
    "function onend() { if ( typeof self[kLine_buffer] === 'string' && self[kLine_buffer].length > 0 ) { self.emit('line', self[kLine_buffer]); } self.close(); }",
  onSelfCloseWithoutTerminal:
    "function onSelfCloseWithoutTerminal() { input.removeListener('data', ondata); input.removeListener('error', onerror); input.removeListener('end', onend); }",
};

const made = new WeakMap<object, Record<ReadlineListenerName, ProgramFunction>>();

/** The listener `name` of the restored interface `self` on `input`: made once per interface, so that they know one another. */
export function readlineListener(
  self: ProgramValue,
  input: ProgramValue,
  name: ReadlineListenerName,
  symbols: (description: string) => symbol | undefined,
): ProgramFunction {
  let listeners = made.get(self);
  if (!listeners) made.set(self, (listeners = readlineListeners(self, input, symbols)));
  return listeners[name];
}

/** Ferry's copies of Node's listeners (READLINE_LISTENER_SOURCES), with its private symbols found by description. */
function readlineListeners(
  self: ProgramValue,
  input: ProgramValue,
  symbols: (description: string) => symbol | undefined,
): Record<ReadlineListenerName, ProgramFunction> {
  const kNormalWrite = symbols('_normalWrite');
  const kLine_buffer = symbols('_line_buffer');
  if (!kNormalWrite || !kLine_buffer) throw new Error(`readline keeps its state otherwise in ${process.version}`);
  return copiedListeners(self, input, kNormalWrite, kLine_buffer);
}

function copiedListeners(
  self: ProgramValue,
  input: ProgramValue,
  kNormalWrite: symbol,
  kLine_buffer: symbol,
): Record<ReadlineListenerName, ProgramFunction> {
  function onerror(err: unknown) {
    self.emit('error', err);
  }
  function ondata(data: unknown) {
    self[kNormalWrite](data);
  }
  function onend() {
    if (typeof self[kLine_buffer] === 'string' && self[kLine_buffer].length > 0) {
      self.emit('line', self[kLine_buffer]);
    }
    self.close();
  }
  function onSelfCloseWithoutTerminal() {
    input.removeListener('data', ondata);
    input.removeListener('error', onerror);
    input.removeListener('end', onend);
  }
  return { onerror, ondata, onend, onSelfCloseWithoutTerminal };
}
