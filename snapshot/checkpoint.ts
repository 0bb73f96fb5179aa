// The one entry point both front ends (CLI, debug adapter) use to take a checkpoint of a target
// and decide what happens to it afterwards.
import { CaptureRefusedError, captureCheckpoint, type CaptureOptions } from './capture/index';
import type { ScriptTable, TargetSession } from './capture/target-session';
import { functionsNotRemade } from './capture/function-texts';
import { readCheckpointFile, writeCheckpointFile } from './format/checkpoint';
import type { CheckpointManifest } from './format/manifest';
import {
  jsonSection,
  SECTION,
  type FunctionSite,
  type RequirableFile,
  type Section,
  type SectionName,
  type SourceEntry,
} from './format/sections';
import { readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fingerprint, namedIn, workingFiles, type WorkingFile } from './capture/workfiles';
import { packWorkingFiles } from './format/workfiles';
import { PhaseClock } from './capture/phases';
import { handOverOrDiscard, newHolder } from './connections/handover';
import { requirableModules } from './capture/requirable';

/** A working file larger than this stays behind (with a warning in the manifest). */
const MAX_WORKING_FILE_BYTES = 256 << 20;

export interface CheckpointRequest extends CaptureOptions {
  output: string;
  hmacKey?: Buffer;
  /**
   * The target goes on as soon as its state is read (`--then continue`), and the file is written
   * and verified after. Otherwise it stays stopped until the file is known good.
   */
  resumeWhenRead?: boolean;
  /** With resumeWhenRead: called once the target goes on; nothing more is asked of it, so the caller may let go of it before the file is written. */
  onResumed?: () => Promise<void>;
  /**
   * Put the program's working files in the checkpoint (default: yes, when the program runs on
   * this machine). A migration ships them on its own, content-addressed.
   */
  workingFiles?: boolean;
}

export interface CheckpointResult {
  path: string;
  bytes: number;
  manifest: CheckpointManifest;
  /** Milliseconds the target was stopped: from the pause to its resume (`resumeWhenRead`), else to the file written and verified. */
  pauseMs: number;
  /** The program's working files on this machine, read while it was stopped (none when it runs elsewhere). */
  workingFiles: WorkingFile[];
}

/**
 * Captures, writes, and verifies by reading back. The target is still stopped on return, unless
 * `resumeWhenRead` let it go on before the write.
 */
export async function writeCheckpoint(session: TargetSession, request: CheckpointRequest): Promise<CheckpointResult> {
  const clock = (request.clock ??= new PhaseClock());
  const { manifest, sections, functions } = await captureCheckpoint(session, request);
  // Read while the program is still stopped, so that the files match its state.
  const here = manifest.originHost === hostname();
  const working = here ? programWorkingFiles(session, manifest, sections, request.output) : [];
  if (here) fingerprintOpenFiles(manifest);
  if (request.workingFiles !== false) {
    const files = working.flatMap((f) => {
      try {
        const stat = statSync(f.source);
        if (stat.size <= MAX_WORKING_FILE_BYTES)
          return [
            {
              path: f.target,
              mode: stat.mode & 0o777,
              data: readFileSync(f.source),
              input: f.input,
              mtimeMs: stat.mtimeMs,
            },
          ];
        manifest.warnings.push(
          `the working file ${f.target} (${stat.size} bytes) is too large to put in the checkpoint: restored elsewhere, it must be there already`,
        );
        return [];
      } catch {
        return []; // gone meanwhile: it was not the program's to keep
      }
    });
    if (files.length > 0) {
      sections.push([SECTION.workfiles, packWorkingFiles(files)]);
      manifest.handles.workingFiles = files.map((f) => ({
        path: f.path,
        bytes: f.data.length,
        policy: f.input ? 'input' : 'ship',
      }));
    }
  }
  clock.mark('working files');
  if (request.resumeWhenRead) {
    await resumeTarget(session);
    clock.resumed('resume');
    await request.onResumed?.();
  }
  // What follows reads no more of the program's state: once it goes on at once, it runs meanwhile.
  refuseFunctionsNotRemade(functions, session.scripts);
  clock.mark('function texts');
  if (here) addRequirableModules(session, manifest, sections, working);
  clock.mark('requirable modules');
  request.onProgress?.('writing the checkpoint');
  const bytes = writeCheckpointFile(request.output, manifest, sections, request.hmacKey);
  readCheckpointFile(request.output, { hmacKey: request.hmacKey });
  return { path: request.output, bytes, manifest, pauseMs: clock.stoppedMs, workingFiles: working };
}

/** What becomes of the program once its checkpoint is written (`--then`). */
export type ThenPolicy = 'continue' | 'stop';

/**
 * A checkpoint of a program that is then ended (`stop`) or goes on (`continue`): the one way every
 * front end decides what its connections do. Ended, they go to a new holder, and once this returns
 * the holder has them, so the caller may kill the program (a handover that fails removes the file
 * and throws, the program left stopped); going on, the program keeps them. A migration (`ferry
 * migrate`, VS Code's Migrate) is `stop`: the program ends once the host has it, and the holder
 * relays its connections there. The target is still stopped on return, as after writeCheckpoint.
 */
export async function writeCheckpointThen(
  session: TargetSession,
  then: ThenPolicy,
  request: Omit<CheckpointRequest, 'connections'>,
): Promise<CheckpointResult> {
  const result = await writeCheckpoint(session, {
    ...request,
    connections: { holder: then === 'stop' ? newHolder() : null },
  });
  const connections = result.manifest.handles.connections;
  if (then === 'stop' && connections?.holder) {
    request.onProgress?.(`handing ${connections.sockets.length} connection(s) to their holder`);
    await handOverOrDiscard(session.cdp, connections, request.output);
  }
  return result;
}

/**
 * The files under the program's working directory it holds open or changed and names (workfiles.ts),
 * less its own scripts (CommonJS and ES modules: the checkpoint has their code). Files changed
 * meanwhile that it does not name are left behind, with a warning naming them.
 */
function programWorkingFiles(
  session: TargetSession,
  manifest: CheckpointManifest,
  sections: Section[],
  output: string,
): WorkingFile[] {
  const modules = new Set([
    ...manifest.modules,
    ...[...session.scripts.values()].flatMap((s) => (s.url.startsWith('file://') ? [fileURLToPath(s.url)] : [])),
  ]);
  const section = (name: SectionName) => sections.find(([n]) => n === name)![1];
  const text = () => ({
    heap: section(SECTION.heap),
    sources: JSON.parse(new TextDecoder().decode(section(SECTION.sources))) as SourceEntry[],
    argv: manifest.program.argv.slice(2),
  });
  const { cwd, pid } = manifest.program;
  const { files, unnamed } = workingFiles(pid, cwd, namedIn(text, cwd), output, modules);
  if (unnamed.length > 0) {
    const shown = unnamed.slice(0, 5).join(', ') + (unnamed.length > 5 ? ` and ${unnamed.length - 5} more` : '');
    manifest.warnings.push(
      `not carried: ${shown}: changed under the working directory since the program started, but nothing in the program names them (a name built at run time is not seen)`,
    );
  }
  return files;
}

/**
 * What the program's modules can still require or import (capture/requirable.ts), read from this
 * machine's disk; the working files travel on their own. Its modules are its CommonJS ones
 * (`require.cache`) and its ES modules (the scripts the inspector reported as modules).
 */
function addRequirableModules(
  session: TargetSession,
  manifest: CheckpointManifest,
  sections: Section[],
  working: WorkingFile[],
): void {
  const esModules = [...session.scripts.values()].flatMap((s) =>
    s.isModule && s.url.startsWith('file://') ? [fileURLToPath(s.url)] : [],
  );
  const loaded = [...new Set([...manifest.modules, ...esModules])];
  const { files, summary, warnings } = requirableModules(loaded, new Set(working.map((f) => f.source)));
  if (files.length > 0) sections.push(jsonSection(SECTION.requirable, sharingSourceTexts(files, sections)));
  manifest.requirable = summary;
  manifest.warnings.push(...warnings);
}

/** A loaded module's text that the `sources` section holds already is named there, not written twice. */
function sharingSourceTexts(files: RequirableFile[], sections: Section[]): RequirableFile[] {
  const sources = JSON.parse(
    new TextDecoder().decode(sections.find(([name]) => name === SECTION.sources)![1]),
  ) as SourceEntry[];
  const byUrl = new Map(sources.map((s) => [s.url, s.source]));
  return files.map((file) => {
    const url = pathToFileURL(file.path).href;
    const shared = file.text !== undefined && byUrl.get(url) === file.text;
    return shared ? { ...file, text: undefined, textInSources: url } : file;
  });
}

/**
 * A function whose text cannot be made again would end the restored program: refused, and nothing
 * written. Parsing every text takes seconds on a large program (prettier), so it is not done while
 * the program is stopped when it goes on at once; a refusal then leaves it running as it was.
 */
function refuseFunctionsNotRemade(functions: readonly FunctionSite[], scripts: ScriptTable): void {
  const notRemade = functionsNotRemade(functions, scripts);
  if (notRemade.length > 0) throw new CaptureRefusedError(notRemade);
}

/**
 * Size and hash of each file the program holds open, as the checkpoint leaves it: restore refuses
 * to reopen one at its saved offset when another run has changed it since (restore/working-files.ts).
 */
function fingerprintOpenFiles(manifest: CheckpointManifest): void {
  for (const file of manifest.handles.files ?? []) Object.assign(file, fingerprint(file.path, MAX_WORKING_FILE_BYTES));
}

/** Lets a target stopped by capture go on. */
export async function resumeTarget(session: TargetSession): Promise<void> {
  await session.cdp.send('Debugger.resume', {}).catch(() => undefined);
}
