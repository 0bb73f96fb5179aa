// Restoring a checkpoint into this process: verify, set the process state, rebuild modules and
// heap, then make handles live. After this returns the event loop carries the program on.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve as resolvePath } from 'node:path';
import { unpackWorkingFiles, type PackedFile } from '../format/workfiles';
import { readCheckpointFile } from '../format/checkpoint';
import { readCheckpointContents } from './validate';
import { rebuildHeap } from './rebuild';
import { reopenFiles } from './files';
import { planFrames, resumeFrames } from './frames';
import type { StoredManifest } from '../manifest';

export interface RestoreOptions {
  cwd?: string;
  hmacKey?: Buffer;
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
  // Variants are generated before anything changes in this process: a refusal leaves it untouched.
  const planned = planFrames(frames, sources, records);

  // In another directory (a run directory on a host, --cwd), the program's files are found under it.
  const cwd = options.cwd !== undefined && existsSync(options.cwd) ? resolvePath(options.cwd) : manifest.program.cwd;
  const workfiles = sections.get('workfiles');
  if (workfiles) materializeWorkingFiles(unpackWorkingFiles(workfiles), cwd);
  const moved = (path: string) => (cwd !== manifest.program.cwd && path.startsWith(`${manifest.program.cwd}/`) ? join(cwd, relative(manifest.program.cwd, path)) : path);
  reopenFiles((manifest.handles.files ?? []).map((file) => ({ ...file, path: moved(file.path) })));
  applyProcessState(manifest, cwd);
  const getBuiltin = (process as any).getBuiltinModule as (name: string) => any;
  const heap = rebuildHeap(records, manifest.heap.rootId, sites, sources, getBuiltin, planned.placements, planned.generatorFrames);
  installModules(heap.root, getBuiltin('module'));
  installGlobals(heap.root.globals);
  for (const [event, fn, once] of heap.root.processListeners as Array<[string | symbol, (...a: unknown[]) => void, boolean]>) {
    if (once) process.once(event as string, fn);
    else process.on(event as string, fn);
  }
  heap.activate();
  const continueFrames = frames.length > 0 ? resumeFrames(frames, planned, heap) : undefined;
  return { manifest, continueProgram: () => void continueFrames?.() };
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
function installModules(root: any, Module: any): void {
  const restored = new Map<string, any>(root.modules as Array<[string, any]>);
  for (const [filename, module] of restored) Module._cache[filename] = module;
  if (root.main) process.mainModule = root.main;
  const original = Module._resolveFilename;
  Module._resolveFilename = function (request: string, parent: any, ...rest: unknown[]) {
    if (parent?.filename && restored.has(parent.filename) && (request.startsWith('.') || request.startsWith('/'))) {
      const base = resolvePath(dirname(parent.filename), request);
      for (const candidate of [base, `${base}.js`, `${base}.json`, `${base}/index.js`]) if (restored.has(candidate)) return candidate;
    }
    return original.call(this, request, parent, ...rest);
  };
}

function installGlobals(globals: object): void {
  for (const key of Reflect.ownKeys(globals)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(globals, key)!;
    const existing = Reflect.getOwnPropertyDescriptor(globalThis, key);
    if (existing && !existing.configurable) {
      if (existing.writable && 'value' in descriptor) (globalThis as any)[key] = descriptor.value;
      continue;
    }
    Reflect.defineProperty(globalThis, key, descriptor);
  }
}

/** Working files the checkpoint carries are written where they are missing; existing ones are the newer truth. */
function materializeWorkingFiles(files: PackedFile[], cwd: string): void {
  for (const file of files) {
    const target = join(cwd, file.path);
    if (existsSync(target)) continue;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.data, { mode: file.mode });
  }
}
