// The heap record encoding shared by the capture agent (writer) and the restore runtime (reader).
// A heap section is: a header (u32 record count, u32 records length, u32 function table length),
// the varint stream of records, the function table, and the string blob. Object ids are assigned
// in discovery order and records are written in id order, so record i describes object i. A user
// function's record holds its entry number in the function table, which holds its source site and
// closure context (read in batches through the inspector, so written after the records).

/** Value tags: every slot (property value, element, context variable) starts with one. */
export const enum V {
  Undefined = 0,
  Null = 1,
  False = 2,
  True = 3,
  Int = 4, // zigzag varint (31-bit safe integers)
  Double = 5, // 8 bytes little-endian
  String = 6, // string table index
  Ref = 7, // object id
  Hole = 8, // a missing array element
  BigInt = 9, // string table index of the decimal text
}

/** Record kinds: the first byte of each object record. */
export const enum K {
  Object = 1,
  Array = 2,
  Function = 3, // user function: entry number in the function table, then its own properties
  Builtin = 4, // a runtime object named by a path, re-resolved on the target
  Date = 5,
  RegExp = 6,
  Error = 7,
  Map = 8,
  Set = 9,
  WeakMap = 10,
  WeakSet = 11,
  ArrayBuffer = 12,
  TypedArray = 13,
  DataView = 14,
  Symbol = 15,
  Boxed = 16,
  Promise = 17,
  Proxy = 18, // target, handler, ProxyFlag bits
  BoundFunction = 19,
  Context = 20, // a closure context: site, parent, variables
  Timer = 21, // a live Timeout (timeout or interval)
  Immediate = 22, // callback, arguments, ImmediateFlag bits
  Server = 23, // a listening net/http server
  Module = 24, // a CommonJS module object
  Require = 25, // a module's require function
  SharedArrayBuffer = 26,
  NodeFactory = 28, // an object Node itself made, re-made by calling the public factory again: its path, then its arguments
  PromiseResolver = 29, // the resolve or reject function of a (pending) promise
  Generator = 30, // a generator object: finished, or suspended at a yield (its frame is in `frames`); state | ASYNC_GENERATOR
  FileWriteStream = 31, // an fs.WriteStream on a descriptor that is reopened (files section)
  Privates = 32, // not a record: a prefix giving the private fields (#x) of the record that follows
  PromiseCombinatorElement = 33, // an element function of Promise.all/allSettled/any: combinator, index, group { values, resolve, reject }
  CoreStream = 34, // an in-memory Node stream (Readable, Writable, Duplex, Transform, PassThrough): its Node class, then as an Object (made by the class, then filled)
  ProxyRevoke = 35, // the revoke function of Proxy.revocable: its proxy (null once it has revoked it)
  CollectionIterator = 36, // a Map or Set iterator: IteratorFlag bits, its collection (null when done), how many steps it has taken; then as an Object
  Socket = 37, // an established connection (its descriptor in the connections record): SocketFlag bits, its server (null for one the program opened), timeout ms, encoding, bytes read but not consumed, the program's listeners; then as an Object
  FileHandle = 38, // an fs/promises FileHandle: its descriptor (reopened with the files section; -1 once closed), then its own properties
  EventIterator = 39, // the scope of an events.on() call: emitter, event, EventIteratorFlag bits, low and high watermarks, error, then lists of close events, unread events (each its arguments array, or its first argument for readline's) and waiting next() promises
  // WebAssembly (capture/agent/webassembly.ts): a module is compiled again from its bytes and
  // instantiated again with the same imports; what an instance exports is then the new instance's,
  // its memories, tables and globals given the state they had.
  WasmModule = 40, // a WebAssembly.Module: the bytes it was compiled from
  WasmInstance = 41, // a WebAssembly.Instance: its module, its imports (module name, field name, value), then its exported memories, tables and globals
  WasmExports = 42, // an instance's exports object: its instance
  WasmFunction = 43, // a function an instance exports: its instance, its export name
  WasmMemory = 44, // a memory an instance exports: its instance, its export name, its bytes
  WasmMemoryBuffer = 45, // the ArrayBuffer of a memory: its memory
  WasmTable = 46, // a table an instance exports: its instance, its export name, its entries
  WasmGlobal = 47, // a global an instance exports: its instance, its export name, its value
}

/** The flags byte of a Socket record. */
export const enum SocketFlag {
  Refed = 1,
  Paused = 2, // readableFlowing === false: the program paused it
  AllowHalfOpen = 4,
  ServerParser = 8, // its server's own connection handling (an HTTP parser) is attached: attached again
}

/** The flags byte of a CollectionIterator record: which of entries(), keys(), values() made it, over what, and whether it is done. */
export const enum IteratorFlag {
  Keys = 1,
  Values = 2, // neither: entries
  OfSet = 4,
  Done = 8, // it returned done: it sees nothing more, even what its collection gets later
}

/** The flags byte of an EventIterator record. */
export const enum EventIteratorFlag {
  Finished = 1, // its error or end came: it listens no more
  Readline = 2, // made by a readline Interface's [Symbol.asyncIterator] (its events are their first argument)
}

/** The flags byte of a Proxy record (after its target and handler, both null when revoked). */
export const enum ProxyFlag {
  Revoked = 1,
  Callable = 2, // typeof 'function': a revoked proxy keeps it
}

/** Which element function of a promise combinator a PromiseCombinatorElement record is. */
export const enum Combinator {
  All = 0,
  AllSettledFulfilled = 1,
  AllSettledRejected = 2,
  AnyRejected = 3,
}

/** The flags byte of a Timer record. */
export const enum TimerFlag {
  Refed = 1,
  Cleared = 2, // cleared, or fired and not repeating: the program still holds it
  Running = 4, // its callback is on the paused stack: re-armed (an interval) or let go once that returns
}

/** The flags byte of an Immediate record. */
export const enum ImmediateFlag {
  Refed = 1,
  Running = 2, // its callback is on the paused stack: it has left the queue and is let go once that returns
}

/** How an EventTarget listener was added (capture/agent/event-targets.ts). */
export const enum ListenerFlag {
  Once = 1,
  Capture = 2,
  Passive = 4,
  HandlerAttribute = 8, // `target.onabort = fn`, not addEventListener
}

/** Property attribute bits. */
export const enum A {
  Writable = 1,
  Enumerable = 2,
  Configurable = 4,
  Accessor = 8,
  Default = 7,
}

/** Object integrity levels. */
export const enum Integrity {
  Extensible = 0,
  NonExtensible = 1,
  Sealed = 2,
  Frozen = 3,
}

export const TYPED_ARRAY_NAMES = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  'Buffer',
] as const;

export const BOXED_KINDS = ['Number', 'String', 'Boolean', 'BigInt', 'Symbol'] as const;

/**
 * The context variable that carries an object-literal method's home object (for its `super`):
 * V8 keeps it in an unnamed slot of the literal's scope.
 */
export const HOME_OBJECT_VARIABLE = '$ferryHome';

/**
 * The parameters of the function each restored chunk of code is made in (restore/functions.ts): the
 * restore runtime's helpers its generated code calls. That scope is the runtime's, not the program's:
 * a capture of a restored program leaves it out, and the next restore's chunks supply their own.
 */
/**
 * The variables a restored context's factory declares for itself beside the context's own: an eval
 * in the generated code makes them visible in the scope view, where a capture must not take them
 * for the program's.
 */
export const FACTORY_LOCALS = {
  fns: '$ferryFns',
  children: '$ferryChildren',
  hosted: '$ferryHosted',
  hostedVariants: '$ferryHostedVariants',
} as const;

export const RESTORE_HELPER_PARAMETERS = [
  '$ferryHeritageOf',
  '$ferryStamp',
  '$ferryLive',
  '$ferrySuper',
  '$ferryEarly',
] as const;

/**
 * The registered symbol under which the restore runtime leaves one of its own functions on Node's
 * Module: a later capture of the restored process tells the runtime's code (its replacement of
 * `Module._resolveFilename`, its loaders) from the program's functions on built-ins, which it carries.
 */
export const RESTORE_RUNTIME_MARK = 'ferry.restoreRuntime';

/** The bit of a K.Generator record's state byte that marks an async generator. */
export const ASYNC_GENERATOR = 4;
