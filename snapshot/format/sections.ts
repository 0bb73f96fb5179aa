// The sections of a .ferry file and the record each holds, defined once: capture writes them,
// the restore runtime, the offline debug session and `ferry inspect` read them. The heap section's
// own encoding is heap/tags.ts; the working files', format/workfiles.ts.

import type { ProgramFunction } from '../heap/program-value';

export const SECTION = {
  /** The heap records (heap/tags.ts). */
  heap: 'heap',
  /** FunctionSite[]: where each user function's source is. */
  functions: 'functions',
  /** SourceEntry[]: the scripts those functions and frames come from. */
  sources: 'sources',
  /** StoredFrame[]: a Checkpoint Here's paused frames and the functions suspended at an `await`. */
  frames: 'frames',
  /** The program's working files (format/workfiles.ts). */
  workfiles: 'workfiles',
  /** RequirableFile[]: what the program's modules can still require or import (capture/requirable.ts). */
  requirable: 'requirable',
} as const;

export type SectionName = (typeof SECTION)[keyof typeof SECTION];

/** A section as it is written: its name and bytes. */
export type Section = [SectionName, Uint8Array];

/** A JSON section's bytes. */
export function jsonSection(name: SectionName, items: unknown[]): Section {
  return [name, Buffer.from(JSON.stringify(items))];
}

/** A position in a script, 0-based as in CDP's Debugger.Location (UTF-16 columns). */
export interface Location0 {
  line: number;
  column: number;
}

/** A user function's source site: the function table of the heap section points at these. */
export interface FunctionSite {
  scriptId: string;
  /** Where the function starts, 0-based. */
  line: number;
  column: number;
  /** The function's own text. */
  source: string;
}

export interface SourceEntry {
  scriptId: string;
  url: string;
  source: string;
  /** An ES module's source: its code is strict. */
  module?: boolean;
}

/**
 * A file a `require()` or `import` of the program's modules resolves to, found from their string
 * literals at the checkpoint (capture/requirable.ts): the restore resolves those requests to it
 * without the disk (restore/requirable.ts, restore/import-hooks.ts), so that a host without the
 * program's `node_modules` loads what the program would have loaded.
 */
export interface RequirableFile {
  /** The file, as Node resolved it at the checkpoint (a loaded module's id, or a file to load from `text`). */
  path: string;
  /**
   * Its text, loaded from here when the file is missing at the restore: a file the program had not
   * loaded, or one an `import` names (the ES module loader loads it again, loaded or not).
   */
  text?: string;
  /** Instead of `text`: the URL of the `sources` entry that holds its text (a loaded module's, not written twice). */
  textInSources?: string;
  /** The `require()` requests that resolve to it: [the requiring module's directory, the request as written]. */
  requiredAs: Array<[string, string]>;
  /** The `import` specifiers that resolve to it, as Node's ES module loader resolved them: [the importer's directory, the specifier]. */
  importedAs?: Array<[string, string]>;
  /** How the ES module loader reads it (its extension, else its package's `type`): with `importedAs`. */
  format?: ModuleFormat;
}

/** The formats of Node's ES module loader that a carried file can have. */
export type ModuleFormat = 'module' | 'commonjs' | 'json';

/** How a paused or suspended function's for-of loop goes on (capture/agent/suspended-loops.ts, capture/paused-stack.ts). */
export type LoopKind = 'array' | 'remaining' | 'iterator';

/** Which iterator of its array an `array` loop runs: `for (const [i, x] of list.entries())` runs entries(). */
export type ArrayIteration = 'entries' | 'keys' | 'values';

/**
 * What Node's own frames right under a paused frame do once it returns (capture/runtime-frames.ts),
 * innermost first; the restore plays each part when the resumed frame returns:
 * - `listeners`: EventEmitter's emit() calls the listeners after this one with the same arguments,
 *   and returns true;
 * - `afterWrite`: a stream's write callback: Node's afterWrite (writable.js) calls the rest of its
 *   callbacks, then finishes the stream if it is ending: it is called again with what is left;
 * - `timer`, `immediate`: the event loop's timer code lets go of (or re-arms) the Timer or Immediate
 *   whose callback this is (its record is flagged Running);
 * - `tick`: process.nextTick's queue runs on (what is left of it is carried);
 * - `microtask`: V8's microtask queue runs on (what is left is carried); a promise reaction's own
 *   promise takes the frame's result;
 * - `tail`, `tail-value`: code that only returns once the call returns: nothing, or the frame's value.
 */
export type RuntimeRole =
  'listeners' | 'afterWrite' | 'timer' | 'immediate' | 'tick' | 'microtask' | 'tail' | 'tail-value';

/**
 * Checkpoint Here: a microtask queued behind the paused code (capture/agent/queues.ts), as the heap
 * root `microtasks` lists them, in order; the restore queues each again:
 * - `reaction`: a promise reaction: `handler(argument)` settles `promise` (no handler: `argument` does);
 * - `await`: an async function whose await goes on: its suspended frame (an index among the frames)
 *   awaits a promise settled as the awaited one was;
 * - `callback`: queueMicrotask(callback);
 * - `thenable`: `promise` resolved with a thenable: `then.call(thenable, resolve, reject)`.
 */
export type QueuedMicrotask =
  | {
      kind: 'reaction';
      rejects: boolean;
      handler: ProgramFunction | undefined;
      argument: unknown;
      promise: object | undefined;
    }
  | { kind: 'await'; frame: number }
  | { kind: 'callback'; callback: ProgramFunction }
  | { kind: 'thenable'; promise: object; then: ProgramFunction; thenable: object };

/** Where a paused or suspended frame was (read by capture/paused-stack.ts). */
export interface FrameSite {
  scriptId: string;
  url: string;
  functionName: string;
  location: Location0;
  /** `suspended`: an async function waiting at an `await`, not on the stack. */
  role: 'innermost' | 'caller' | 'suspended';
  nativeCallback?: string;
  /** A frame called by Node's own code (a callback, a listener): what that code does once it returns. */
  calledBy?: RuntimeRole[];
  /** The frame's local, block and catch scopes, in CDP order (innermost first), for `$ferry.blocks`. */
  scopes: Array<{ type: string; start?: Location0; end?: Location0 }>;
  /**
   * A suspended function's for-of loops, or a paused one's when one of them is an array's
   * (outermost first): what its `loops` values are. An array goes on with its iterator
   * (`iteration`, values() if absent) from index `from`; the others are iterated as they are.
   */
  loops?: Array<{ kind: LoopKind; from?: number; iteration?: ArrayIteration }>;
}

/** Where a frame's values are among the heap records (placed by capture/agent/frame-values.ts). */
export interface FramePlacement {
  /**
   * The frame's values: `{ scopes, this, arguments, self, newTarget, home, superConstructor, loops,
   * nativeIndex, awaited, promise, listeners, afterWrite, reaction }` (`listeners`: `{ emitter, args,
   * rest }` for a `listeners` role; `afterWrite`: `{ fn, stream, count, cb }` for an `afterWrite` one;
   * `reaction`: the promise a promise reaction settles, for a `microtask` one).
   */
  data: number;
  /** The context the frame's variant is created in (null: the top level). */
  context: number | null;
  /** Whether `context` is the frame's own function context (its variables are the frame's). */
  own: boolean;
  /** A suspended generator's frame: the record of its generator object. */
  generator?: number;
}

/** A record of the frames section. */
export type StoredFrame = FrameSite & FramePlacement;
