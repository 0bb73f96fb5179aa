// The checkpoint manifest: what `ferry inspect` shows and what restore checks before it starts.
// The records of the sections it lists are in sections.ts.
import type { ManifestBase } from './checkpoint';
import type { ConnectionsRecord } from './connections';

export interface CheckpointManifest extends Record<string, unknown> {
  ferry: 1;
  kind: 'idle' | 'here';
  createdAt: string;
  originHost: string;
  node: { version: string; platform: string; arch: string };
  program: { main: string | null; argv: string[]; execArgv: string[]; cwd: string; pid: number };
  process: { env: Record<string, string | undefined>; title: string; umask: number; exitCode: number | null };
  modules: string[];
  heap: { rootId: number; objects: number; bytes: number; functions: number };
  handles: {
    timers: { count: number; policy: string };
    immediates: { count: number; policy: string };
    servers: Array<{ address: string | null; port: number | null; policy: string }>;
    /** Regular files open by descriptor number (absent in checkpoints from before it existed). */
    files?: Array<OpenFileRecord & { policy: string } & FileFingerprint>;
    /**
     * Working files carried in the `workfiles` section (paths relative to the program's cwd); policy
     * `ship` (its logs and state: checked against what is there) or `input` (read, unchanged since
     * it started: put where missing).
     */
    workingFiles?: Array<{ path: string; bytes: number; policy: string }>;
    /** Listening sockets and established connections carried (format/connections.ts); absent when none. */
    connections?: ConnectionsRecord;
  };
  /** Checkpoint Here: the paused user frames, innermost first (1-based line and column). */
  stack?: { frames: Array<{ functionName: string; url: string; line: number; column: number }> };
  /**
   * A Checkpoint Here asked where the program could not be resumed (`asked`, `reason`): it was
   * stepped on `steps` times to the nearest point it can be (the stack's), or, out of its code,
   * let run to its next idle point (`kind` idle).
   */
  nearestPoint?: { asked: string; reason: string; steps: number };
  /** Async functions suspended at an `await` (carried as frames, resumed when what they wait on settles). */
  suspended?: number;
  /** What its loaded modules can still require or import (the `requirable` section); absent when nothing was read. */
  requirable?: RequirableSummary;
  warnings: string[];
  timings: CheckpointTimings;
}

/**
 * Where a checkpoint's time went: milliseconds per phase, in the order the phases ran (`ferry
 * inspect` shows them). Writing and verifying the file come after the manifest is sealed: the
 * command reports those. Checkpoints from before this record have other keys here.
 */
export interface CheckpointTimings {
  /** From the command's start (or the capture's) to the program stopped: attaching, reading its scripts, the idle point. */
  beforeStop: Record<string, number>;
  /** While the program was stopped, up to the checkpoint assembled (and the program resumed, when it goes on at once). */
  stopped: Record<string, number>;
  /** When it goes on at once: after it resumed, the checks that need not stop it, before the file is written. */
  afterResume?: Record<string, number>;
}

/**
 * The `requirable` section in figures: the files shipped for modules not loaded yet and their
 * bytes; the loaded modules an `import` names, whose text travels too (`loadedFiles`,
 * `loadedBytes`: the ES module loader reads them again); and the `require(name)` and `import(name)`
 * calls whose request is computed (`computedAt`: the first few, `file:line`), whose modules cannot
 * be known and are not shipped.
 */
export interface RequirableSummary {
  files: number;
  bytes: number;
  loadedFiles?: number;
  loadedBytes?: number;
  computed: number;
  computedAt: string[];
}

/** A regular file the program holds open by descriptor number, reopened under it at restore. */
export interface OpenFileRecord {
  fd: number;
  path: string;
  /** open(2) flags as /proc/self/fdinfo shows them (access mode, O_APPEND, O_SYNC...). */
  flags: number;
  position: number;
}

/**
 * A file as the checkpoint left it, so that restore can tell another run's changes (absent when the
 * program ran on another machine; no hash past the size of a file a checkpoint carries).
 */
export interface FileFingerprint {
  size?: number;
  sha256?: string;
}

export type StoredManifest = CheckpointManifest & ManifestBase;
