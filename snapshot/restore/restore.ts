// Restoring a checkpoint into this process: verify, set the process state, rebuild modules and
// heap, then make handles live. After this returns the event loop carries the program on.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { unpackWorkingFiles, type PackedFile } from '../format/workfiles';
import { readCheckpointFile, type DecodedCheckpoint } from '../format/checkpoint';
import { checkManifest, readCheckpointContents } from './validate';
import { rebuildHeap } from './rebuild';
import { reopenFiles } from './files';
import { refuseBuiltinsMissingHere } from './node-version';
import { changedProgramFiles, placeProgramFiles, warnOfModulesChangedSince, type Change } from './working-files';
import { planFrames, resumeFrames } from './resumed-frames';
import {
  codeNamingDirectory,
  heldFilesHere,
  makeWorkingDirectory,
  pathMapper,
  workingDirectoryMapping,
  type PathMapping,
} from './paths';
import type { StoredManifest } from '../format/manifest';
import { SECTION, type RequirableFile, type SourceEntry } from '../format/sections';
import { installModuleResolution } from './requirable';
import { installImportHooks, spendImportWarning } from './import-hooks';
import { mayImportAgain } from './live-bindings';
import { moduleStandIns } from './module-stand-ins';
import type { ProgramValue } from '../heap/program-value';
import { configuredObject } from '../heap/builtins';
import { RESTORE_RUNTIME_MARK } from '../heap/tags';

export interface RestoreOptions {
  /** Run the program in this directory, not the one it ran in: the paths it holds under that one are rewritten (paths.ts). */
  cwd?: string;
  /** Put back the checkpoint's copies of the program's files that changed since (working-files.ts). */
  overwrite?: boolean;
  /** The program's working files sent beside the checkpoint (a migration's), placed as the ones it carries. */
  files?: PackedFile[];
  /** The connections' descriptors taken from their holder, by index in the connections record (connections.ts). */
  connections?: Map<number, unknown>;
}

export interface RestoredProgram {
  manifest: StoredManifest;
  /**
   * Goes on with the program: for a checkpoint taken here, runs the paused frames on from where
   * they were (what they throw is the program's own); for one at idle, the event loop does.
   */
  continueProgram(): void;
}

/** Restores a checkpoint read (and its hashes and signature checked) by readCheckpointFile. */
export function restoreCheckpoint(
  { manifest, sections }: DecodedCheckpoint<StoredManifest>,
  options: RestoreOptions = {},
): RestoredProgram {
  checkManifest(manifest); // whole before its working directory is read (the heap's strings are mapped by it as they are decoded)
  const mapping = workingDirectoryMapping(manifest.program.cwd, options.cwd);
  const mapPath = pathMapper(mapping);
  // Checked whole before anything is made: a damaged checkpoint is refused here, saying what is wrong.
  const { sites, sources, records, frames, requirable } = readCheckpointContents(manifest, sections, mapPath);
  const getBuiltin = (process as ProgramValue).getBuiltinModule as (name: string) => ProgramValue;
  // Another Node version may lack a built-in the program holds: said before anything changes.
  refuseBuiltinsMissingHere(records, manifest.node.version, getBuiltin);
  // Variants are generated before anything changes in this process: a refusal leaves it untouched.
  const planned = planFrames(frames, sources, records);

  makeWorkingDirectory(mapping);
  warnOfCodeNamingDirectory(sources, mapping);
  const { carried, held } = programFiles(manifest, sections, mapping, options.files);
  const putBack = placeProgramFiles(carried, held, mapping.to, options.overwrite ?? false, warn);
  reopenFiles(held);
  applyProcessState(manifest, mapping.to, mapPath);
  const heap = rebuildHeap({
    records,
    rootId: manifest.heap.rootId,
    sites,
    sources,
    getBuiltin,
    variants: planned.placements,
    generatorFrames: planned.generatorFrames,
    held: heldByObject(manifest, options.connections),
    loadedModuleTexts: loadedModuleTexts(requirable, sources),
  });
  installModules(heap.root, getBuiltin('module'), requirable, mapPath);
  installImportHooks(requirable, mapPath, moduleStandIns(heap.modules, heap.readLive, mapPath));
  if (mayImportAgain(sources)) spendImportWarning();
  warnOfModulesChangedSince(getBuiltin('module'), new Date(manifest.createdAt), putBack, warn);
  installGlobals(heap.root.globals);
  patchBuiltins(heap.root.builtinPatches ?? []);
  assignBuiltinSettings(heap.root.builtinSettings ?? [], getBuiltin);
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

/** The ES modules' texts the requirable section carries, by URL (its own, or its `sources` entry's). */
function loadedModuleTexts(requirable: RequirableFile[], sources: SourceEntry[]): Map<string, string> {
  const byUrl = new Map(sources.map((source) => [source.url, source.source]));
  const texts = new Map<string, string>();
  for (const file of requirable) {
    if (file.format !== 'module') continue;
    const text = file.text ?? (file.textInSources === undefined ? undefined : byUrl.get(file.textInSources));
    if (text !== undefined) texts.set(pathToFileURL(file.path).href, text);
  }
  return texts;
}

/** The held descriptors by the heap record of the server or socket that owns each. */
function heldByObject(manifest: StoredManifest, handles: Map<number, unknown> | undefined): Map<number, unknown> {
  const held = new Map<number, unknown>();
  manifest.handles.connections?.sockets.forEach((connection, index) => {
    if (handles?.has(index)) held.set(connection.object, handles.get(index));
  });
  return held;
}

/** The files the program held open, as the manifest records them. */
type HeldFiles = NonNullable<StoredManifest['handles']['files']>;

/**
 * The program's files on this machine, under its working directory here: the ones the checkpoint
 * carries (or, from a migration, `shipped` beside it), and the ones it held open.
 */
function programFiles(
  manifest: StoredManifest,
  sections: Map<string, Buffer>,
  mapping: PathMapping,
  shipped?: PackedFile[],
): { carried: PackedFile[]; held: HeldFiles } {
  const workfiles = sections.get(SECTION.workfiles);
  const held = heldFilesHere(manifest.handles.files ?? [], mapping);
  return { carried: [...(workfiles ? unpackWorkingFiles(workfiles) : []), ...(shipped ?? [])], held };
}

/** The program's files that changed since the checkpoint, which a restore here refuses without `overwrite` (for a front end to ask first). */
export function filesChangedSinceCheckpoint(
  path: string,
  options: Pick<RestoreOptions, 'cwd'> & { hmacKey?: Buffer } = {},
): Change[] {
  const { manifest, sections } = readCheckpointFile<StoredManifest>(path, { hmacKey: options.hmacKey });
  checkManifest(manifest); // whole before its working directory is read
  const mapping = workingDirectoryMapping(manifest.program.cwd, options.cwd);
  const { carried, held } = programFiles(manifest, sections, mapping);
  return changedProgramFiles(carried, held, mapping.to);
}

/** Paths in the program's code are its own text, not rewritten: with --cwd, each place that names the old directory is told. */
function warnOfCodeNamingDirectory(sources: SourceEntry[], mapping: PathMapping): void {
  const places = codeNamingDirectory(sources, mapping);
  if (places.length === 0) return;
  const shown = places
    .slice(0, 3)
    .map(({ url, line }) => `${url.startsWith('file:') ? fileURLToPath(url) : url}:${line}`);
  const more = places.length > shown.length ? ` and ${places.length - shown.length} more` : '';
  warn(
    `the program's code names ${mapping.from} (${shown.join(', ')}${more}): paths written in code are not rewritten, so there it still names ${mapping.from}, not ${mapping.to}`,
  );
}

/** Warnings go where restore failures go: stderr, before and among the program's own output. */
function warn(message: string): void {
  process.stderr.write(`ferry: warning: ${message}\n`);
}

function applyProcessState(manifest: StoredManifest, cwd: string, mapPath: (value: string) => string): void {
  process.chdir(cwd);
  for (const [name, value] of Object.entries(manifest.process.env))
    if (value !== undefined) process.env[name] = mapPath(value);
  process.argv.splice(0, process.argv.length, ...manifest.program.argv.map(mapPath));
  process.title = manifest.process.title;
  process.umask(manifest.process.umask);
  if (manifest.process.exitCode !== null) process.exitCode = manifest.process.exitCode;
}

/** Restored modules go into require.cache under their original filenames; requests resolve without the original files (requirable.ts). */
function installModules(
  root: ProgramValue,
  Module: ProgramValue,
  requirable: RequirableFile[],
  mapPath: (value: string) => string,
): void {
  const restored = new Map<string, ProgramValue>(root.modules as Array<[string, ProgramValue]>);
  for (const [filename, module] of restored) Module._cache[filename] = module;
  // The runtime's own module leaves the cache: the program never loaded it (and a later checkpoint must not list it).
  const runtime = process.mainModule;
  if (runtime && !restored.has(runtime.filename)) delete Module._cache[runtime.filename];
  if (root.main) process.mainModule = root.main;
  installModuleResolution(Module, new Set(restored.keys()), requirable, mapPath);
  Object.defineProperty(Module, Symbol.for(RESTORE_RUNTIME_MARK), { value: installModules });
}

/**
 * The program's functions on built-in objects (graceful-fs's `fs.close`, its `process.cwd`), set
 * again on this process's built-ins: after the heap, whose built-in paths named the runtime's own.
 */
function patchBuiltins(patches: Array<[object, PropertyKey, PropertyDescriptor]>): void {
  for (const [owner, key, descriptor] of patches)
    if (!Reflect.defineProperty(owner, key, descriptor))
      throw new Error(`cannot set the program's ${String(key)} on a built-in object again (it is not configurable)`);
}

/** Values the program set on built-ins (`Error.stackTraceLimit`, `EventEmitter.defaultMaxListeners`), as it did. */
function assignBuiltinSettings(
  settings: Array<[object | string, PropertyKey, unknown]>,
  getBuiltin: (name: string) => unknown,
): void {
  for (const [owner, key, value] of settings) {
    const object = typeof owner === 'string' ? configuredObject(owner, getBuiltin) : owner;
    if (!Reflect.set(object, key, value))
      throw new Error(`cannot set the program's ${String(key)} on a built-in object again`);
  }
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
