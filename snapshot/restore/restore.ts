// Restoring a checkpoint into this process: verify, set the process state, rebuild modules and
// heap, then make handles live. After this returns the event loop carries the program on.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve as resolvePath } from 'node:path';
import { unpackWorkingFiles, type PackedFile } from '../format/workfiles';
import { readCheckpointFile } from '../format/checkpoint';
import { readCheckpointContents } from './validate';
import { rebuildHeap } from './rebuild';
import { reopenFiles } from './files';
import { refuseBuiltinsMissingHere } from './node-version';
import { changedProgramFiles, placeProgramFiles, warnOfModulesChangedSince, type Change } from './working-files';
import { planFrames, resumeFrames } from './resumed-frames';
import type { StoredManifest } from '../format/manifest';
import { SECTION } from '../format/sections';
import type { ProgramValue } from '../heap/program-value';

export interface RestoreOptions {
  cwd?: string;
  hmacKey?: Buffer;
  /** Put back the checkpoint's copies of the program's files that changed since (working-files.ts). */
  overwrite?: boolean;
}

export interface RestoredProgram {
  manifest: StoredManifest;
  /**
   * Goes on with the program: for a checkpoint taken here, runs the paused frames on from where
   * they were (what they throw is the program's own); for one at idle, the event loop does.
   */
  continueProgram(): void;
}

export function restoreCheckpoint(path: string, options: RestoreOptions = {}): RestoredProgram {
  const { manifest, sections } = readCheckpointFile<StoredManifest>(path, { hmacKey: options.hmacKey });
  // Checked whole before anything is made: a damaged checkpoint is refused here, saying what is wrong.
  const { sites, sources, records, frames } = readCheckpointContents(manifest, sections);
  const getBuiltin = (process as ProgramValue).getBuiltinModule as (name: string) => ProgramValue;
  // Another Node version may lack a built-in the program holds: said before anything changes.
  refuseBuiltinsMissingHere(records, manifest.node.version, getBuiltin);
  // Variants are generated before anything changes in this process: a refusal leaves it untouched.
  const planned = planFrames(frames, sources, records);

  const { cwd, carried, held } = programFiles(manifest, sections, options.cwd);
  const putBack = placeProgramFiles(carried, held, cwd, options.overwrite ?? false, warn);
  reopenFiles(held);
  applyProcessState(manifest, cwd);
  const heap = rebuildHeap({
    records,
    rootId: manifest.heap.rootId,
    sites,
    sources,
    getBuiltin,
    variants: planned.placements,
    generatorFrames: planned.generatorFrames,
  });
  installModules(heap.root, getBuiltin('module'));
  warnOfModulesChangedSince(getBuiltin('module'), new Date(manifest.createdAt), putBack, warn);
  installGlobals(heap.root.globals);
  for (const [event, fn, once] of heap.root.processListeners as Array<
    [string | symbol, (...a: unknown[]) => void, boolean]
  >) {
    if (once) process.once(event as string, fn);
    else process.on(event as string, fn);
  }
  const continueFrames = frames.length > 0 ? resumeFrames(frames, planned, heap) : undefined;
  // Last: a timer's remaining time counts from here, and the paused frames go on right after, so
  // the work above (making the frames' variants takes a while on a loaded machine) does not move
  // the timers the frames arm anew behind the ones re-armed here.
  heap.activate();
  return { manifest, continueProgram: () => void continueFrames?.() };
}

/** The files the program held open, as the manifest records them. */
type HeldFiles = NonNullable<StoredManifest['handles']['files']>;

/**
 * Where the program's files are on this machine: in another directory (a run directory on a host,
 * --cwd), under it; the ones the checkpoint carries, and the ones the program held open.
 */
function programFiles(
  manifest: StoredManifest,
  sections: Map<string, Buffer>,
  cwdOption: string | undefined,
): { cwd: string; carried: PackedFile[]; held: HeldFiles } {
  const cwd = cwdOption !== undefined && existsSync(cwdOption) ? resolvePath(cwdOption) : manifest.program.cwd;
  const workfiles = sections.get(SECTION.workfiles);
  const moved = (path: string) =>
    cwd !== manifest.program.cwd && path.startsWith(`${manifest.program.cwd}/`)
      ? join(cwd, relative(manifest.program.cwd, path))
      : path;
  const held = (manifest.handles.files ?? []).map((file) => ({ ...file, path: moved(file.path) }));
  return { cwd, carried: workfiles ? unpackWorkingFiles(workfiles) : [], held };
}

/** The program's files that changed since the checkpoint, which a restore here refuses without `overwrite` (for a front end to ask first). */
export function filesChangedSinceCheckpoint(
  path: string,
  options: Pick<RestoreOptions, 'cwd' | 'hmacKey'> = {},
): Change[] {
  const { manifest, sections } = readCheckpointFile<StoredManifest>(path, { hmacKey: options.hmacKey });
  const { cwd, carried, held } = programFiles(manifest, sections, options.cwd);
  return changedProgramFiles(carried, held, cwd);
}

/** Warnings go where restore failures go: stderr, before and among the program's own output. */
function warn(message: string): void {
  process.stderr.write(`ferry: warning: ${message}\n`);
}

function applyProcessState(manifest: StoredManifest, cwd: string): void {
  if (existsSync(cwd)) process.chdir(cwd);
  for (const [name, value] of Object.entries(manifest.process.env)) if (value !== undefined) process.env[name] = value;
  process.argv.splice(0, process.argv.length, ...manifest.program.argv);
  process.title = manifest.process.title;
  process.umask(manifest.process.umask);
  if (manifest.process.exitCode !== null) process.exitCode = manifest.process.exitCode;
}

/**
 * Restored modules go into require.cache under their original filenames, and resolution of a
 * relative request from a restored module finds them there: the original files need not exist.
 */
function installModules(root: ProgramValue, Module: ProgramValue): void {
  const restored = new Map<string, ProgramValue>(root.modules as Array<[string, ProgramValue]>);
  for (const [filename, module] of restored) Module._cache[filename] = module;
  if (root.main) process.mainModule = root.main;
  const original = Module._resolveFilename;
  Module._resolveFilename = function (request: string, parent: ProgramValue, ...rest: unknown[]) {
    if (parent?.filename && restored.has(parent.filename) && (request.startsWith('.') || request.startsWith('/'))) {
      const base = resolvePath(dirname(parent.filename), request);
      for (const candidate of [base, `${base}.js`, `${base}.json`, `${base}/index.js`])
        if (restored.has(candidate)) return candidate;
    }
    return original.call(this, request, parent, ...rest);
  };
}

function installGlobals(globals: object): void {
  for (const key of Reflect.ownKeys(globals)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(globals, key)!;
    const existing = Reflect.getOwnPropertyDescriptor(globalThis, key);
    if (existing && !existing.configurable) {
      if (existing.writable && 'value' in descriptor) (globalThis as ProgramValue)[key] = descriptor.value;
      continue;
    }
    Reflect.defineProperty(globalThis, key, descriptor);
  }
}
