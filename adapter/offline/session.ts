// Open Checkpoint: a read-only debug session over a `.ferry` file, with no process. It shows one
// stopped thread: for a Checkpoint Here, the captured stack (each frame at its line in the captured
// source, with its local, block and closure scopes); for an idle one, a single frame. Every frame
// also holds the checkpoint's roots (modules, globals, timers, servers, process listeners), its
// handles and process state as scopes. Nothing needs the program's files: everything comes from
// the checkpoint.
import { basename } from 'node:path';
import { InitializedEvent, LoggingDebugSession, StoppedEvent, Thread } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { readCheckpointFile } from '../../snapshot/format/checkpoint';
import { checkpointKey } from '../../snapshot/format/key';
import type { StoredManifest } from '../../snapshot/format/manifest';
import type { SourceEntry, StoredFrame } from '../../snapshot/format/sections';
import { K } from '../../snapshot/heap/tags';
import { Ref, type HeapRecord } from '../../snapshot/heap/decoder';
import { readCheckpointContents } from '../../snapshot/restore/validate';
import { DAP_ERROR, errorMessage } from '../errors';
import { HeapBrowser } from './heap';

const THREAD_ID = 1;
const FRAME_ID = 1;
/** Scope references below the heap's (which are record id + 1): the manifest's handles and process. */
const HANDLES_REF = 1_000_000_001;
const PROCESS_REF = 1_000_000_002;

interface Opened {
  manifest: StoredManifest;
  heap: HeapBrowser;
  sources: SourceEntry[];
  records: HeapRecord[];
  /** Checkpoint Here: the paused frames, innermost first (frame id = index + 1). */
  frames: StoredFrame[];
}

export class CheckpointSession extends LoggingDebugSession {
  private opened?: Opened;

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = { supportsConfigurationDoneRequest: true, supportsLoadedSourcesRequest: true };
    this.sendResponse(response);
  }

  protected override launchRequest(
    response: DebugProtocol.LaunchResponse,
    args: DebugProtocol.LaunchRequestArguments & { checkpoint?: string },
  ): void {
    try {
      if (!args.checkpoint) throw new Error('Open Checkpoint needs a "checkpoint" file');
      this.opened = open(args.checkpoint);
    } catch (error) {
      return this.sendErrorResponse(response, {
        ...errorMessage(DAP_ERROR.cannotOpenCheckpoint, error, `cannot open ${args.checkpoint}: `),
        showUser: true,
      });
    }
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    const stopped = new StoppedEvent('checkpoint', THREAD_ID) as DebugProtocol.StoppedEvent;
    stopped.body.description = `Checkpoint (${this.opened?.manifest.kind}) — read-only`;
    this.sendEvent(stopped);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const m = this.opened?.manifest;
    response.body = {
      threads: [
        new Thread(
          THREAD_ID,
          m
            ? `${basename(m.program.main ?? 'program')} (pid ${m.program.pid} on ${m.originHost}, ${m.createdAt})`
            : 'checkpoint',
        ),
      ],
    };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse): void {
    const opened = this.require(response);
    if (!opened) return;
    if (opened.frames.length > 0) {
      const stackFrames = opened.frames.map((frame, k): DebugProtocol.StackFrame => {
        const index = opened.sources.findIndex((s) => s.scriptId === frame.scriptId);
        return {
          id: k + 1,
          name: frame.functionName || '(anonymous)',
          source: index >= 0 ? this.sourceOf(opened.sources[index], index) : undefined,
          line: frame.location.line + 1,
          column: frame.location.column + 1,
        };
      });
      response.body = { stackFrames, totalFrames: stackFrames.length };
      return this.sendResponse(response);
    }
    const main = opened.sources.findIndex((s) => s.url.endsWith(basename(opened.manifest.program.main ?? '\0')));
    const source = main >= 0 ? this.sourceOf(opened.sources[main], main) : undefined;
    // An idle checkpoint has no frame on the stack: one frame stands for the event loop it was taken at.
    response.body = {
      stackFrames: [
        {
          id: FRAME_ID,
          name: '(event loop, idle: no frame on the stack)',
          source,
          line: source ? 1 : 0,
          column: source ? 1 : 0,
          presentationHint: 'label',
        },
      ],
      totalFrames: 1,
    };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const opened = this.require(response);
    if (!opened) return;
    const frame = opened.frames[args.frameId - 1];
    response.body = {
      scopes: [
        ...(frame ? frameScopes(frame, opened) : []),
        { name: 'Roots', variablesReference: opened.heap.reference(opened.manifest.heap.rootId), expensive: false },
        { name: 'Handles', variablesReference: HANDLES_REF, expensive: false },
        { name: 'Process', variablesReference: PROCESS_REF, expensive: false },
      ],
    };
    this.sendResponse(response);
  }

  protected override variablesRequest(
    response: DebugProtocol.VariablesResponse,
    args: DebugProtocol.VariablesArguments,
  ): void {
    const opened = this.require(response);
    if (!opened) return;
    try {
      const m = opened.manifest;
      const plain = (entries: Array<[string, unknown]>) =>
        entries.map(([name, value]) => ({
          name,
          value: typeof value === 'string' ? value : JSON.stringify(value),
          variablesReference: 0,
        }));
      response.body = {
        variables:
          args.variablesReference === HANDLES_REF
            ? plain([
                ['timers', `${m.handles.timers.count} (${m.handles.timers.policy})`],
                ['immediates', `${m.handles.immediates.count} (${m.handles.immediates.policy})`],
                ...m.handles.servers.map((s, i): [string, unknown] => [
                  `server ${i + 1}`,
                  `${s.address}:${s.port} (${s.policy})`,
                ]),
              ])
            : args.variablesReference === PROCESS_REF
              ? plain([
                  ['main', m.program.main ?? '(none)'],
                  ['argv', m.program.argv],
                  ['execArgv', m.program.execArgv],
                  ['cwd', m.program.cwd],
                  ['pid', String(m.program.pid)],
                  ['node', `${m.node.version} ${m.node.platform}-${m.node.arch}`],
                  ['origin host', m.originHost],
                  ['taken', m.createdAt],
                  ['kind', m.kind],
                  ['title', m.process.title],
                  ['umask', `0${m.process.umask.toString(8)}`],
                  ['exitCode', String(m.process.exitCode)],
                  ['heap', `${m.heap.objects} objects, ${m.heap.functions} functions`],
                  ['warnings', m.warnings],
                ])
              : opened.heap.children(args.variablesReference),
      };
      this.sendResponse(response);
    } catch (error) {
      this.sendErrorResponse(response, errorMessage(DAP_ERROR.checkpointRequest, error));
    }
  }

  protected override loadedSourcesRequest(response: DebugProtocol.LoadedSourcesResponse): void {
    response.body = { sources: (this.opened?.sources ?? []).map((s, i) => this.sourceOf(s, i)) };
    this.sendResponse(response);
  }

  protected override sourceRequest(response: DebugProtocol.SourceResponse, args: DebugProtocol.SourceArguments): void {
    const source = this.opened?.sources[(args.source?.sourceReference ?? args.sourceReference) - 1];
    if (!source)
      return this.sendErrorResponse(response, {
        id: DAP_ERROR.noSuchSource,
        format: 'this checkpoint holds no such source',
      });
    response.body = { content: source.source, mimeType: 'text/javascript' };
    this.sendResponse(response);
  }

  // Nothing runs: every request that would run code is refused with the reason.
  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.readOnly(response);
  }
  protected override nextRequest(response: DebugProtocol.NextResponse): void {
    this.readOnly(response);
  }
  protected override stepInRequest(response: DebugProtocol.StepInResponse): void {
    this.readOnly(response);
  }
  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.readOnly(response);
  }
  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse): void {
    this.readOnly(response);
  }

  private readOnly(response: DebugProtocol.Response): void {
    this.sendErrorResponse(response, {
      id: DAP_ERROR.readOnly,
      format: 'a checkpoint opened for inspection is read-only: resume it (Ferry: Resume Locally) to run it',
    });
  }

  /** Sources are served from the checkpoint (sourceReference), never read from disk: the machine may not have them. */
  private sourceOf(entry: SourceEntry, index: number): DebugProtocol.Source {
    return {
      name: basename(entry.url) || `script ${entry.scriptId}`,
      sourceReference: index + 1,
      origin: 'from the checkpoint',
    };
  }

  private require(response: DebugProtocol.Response): Opened | undefined {
    if (!this.opened)
      this.sendErrorResponse(response, { id: DAP_ERROR.noCheckpointOpen, format: 'no checkpoint is open' });
    return this.opened;
  }
}

function open(path: string): Opened {
  const { manifest, sections } = readCheckpointFile<StoredManifest>(path, { hmacKey: checkpointKey() });
  // The restore's own reader: a checkpoint it would refuse is refused here too, with the same words.
  const { sites, sources, records, frames } = readCheckpointContents(manifest, sections);
  return { manifest, heap: new HeapBrowser(records, sites, sources), sources, records, frames };
}

/** A captured frame's scopes: its local, block and catch scope objects, then the context it closes over. */
function frameScopes(frame: StoredFrame, opened: Opened): DebugProtocol.Scope[] {
  const data = opened.records[frame.data];
  const prop = (name: string) => (data && 'props' in data ? data.props.find((p) => p.key === name)?.value : undefined);
  const scopesSlot = prop('scopes');
  const list = scopesSlot instanceof Ref ? opened.records[scopesSlot.id] : undefined;
  const elements = list?.kind === K.Array ? (list.elements ?? []) : [];
  const scopes = frame.scopes.flatMap((scope, i): DebugProtocol.Scope[] => {
    const slot = elements[i];
    if (!(slot instanceof Ref)) return [];
    const name = scope.type === 'local' ? 'Local' : scope.type === 'catch' ? 'Catch' : 'Block';
    return [
      {
        name,
        presentationHint: scope.type === 'local' ? 'locals' : undefined,
        variablesReference: opened.heap.reference(slot.id),
        expensive: false,
      },
    ];
  });
  const self = prop('this');
  if (self instanceof Ref)
    scopes.push({ name: 'this', variablesReference: opened.heap.reference(self.id), expensive: false });
  if (frame.context !== null)
    scopes.push({
      name: frame.own ? 'Closure (shared with closures made in this frame)' : 'Closure',
      variablesReference: opened.heap.reference(frame.context),
      expensive: false,
    });
  return scopes;
}
