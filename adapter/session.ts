// The DAP session: answers the client's requests and turns the target's CDP events into DAP events.
// The per-topic logic lives in breakpoints.ts, variables.ts, evaluate.ts, scripts.ts and target.ts;
// this file holds the life cycle (launch, configure, run, pause, exit) and the wiring.
import { basename, join } from 'node:path';
import { constants } from 'node:os';
import { pathToFileURL } from 'node:url';
import {
  Breakpoint,
  BreakpointEvent,
  ContinuedEvent,
  ExitedEvent,
  InitializedEvent,
  Logger,
  LoggingDebugSession,
  OutputEvent,
  StoppedEvent,
  TerminatedEvent,
  Thread,
  logger,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Protocol } from 'devtools-protocol';
import { isIdlePause } from '../snapshot/capture/pause';
import { stripInspectorNoise } from '../snapshot/target/launch';
import { BREAKPOINT_MODES, Breakpoints, type BreakpointMode } from './breakpoints';
import { checkpoint } from './checkpoint';
import type { AttachArguments, LaunchArguments } from './config';
import { handleCustomRequest, isCustomRequest, type CustomRequestContext } from './custom-requests';
import { DAP_ERROR, errorMessage } from './errors';
import { Evaluator } from './evaluate';
import { ProgressReporter } from './progress';
import { restoreTarget, type ResumedBody } from './restored';
import { Coordinates, ScriptRegistry, type Script } from './scripts';
import { TargetError, attachTarget, launchTarget, type Target } from './target';
import { V8Pause } from './v8-pause';
import { Variables, renderValue } from './variables';
import { callInTarget } from '../snapshot/cdp/in-target';

const THREAD_ID = 1;
/** Why the next pause happens, when the adapter asked for it. */
type Expected = 'step' | 'pause' | 'restart';

type Configuration = { request: 'launch'; args: LaunchArguments } | { request: 'attach'; args: AttachArguments };

interface Pause {
  readonly event: Protocol.Debugger.PausedEvent;
  /** When the program stopped (epoch ms): its timers' clock stands still from then. */
  readonly at: number;
  /** DAP frame ids of the synchronous frames, and the async frames shown below them. */
  readonly frames: Map<number, Protocol.Debugger.CallFrame | Protocol.Runtime.CallFrame>;
}

/** Everything tied to one target process; replaced on restart. */
interface Live {
  readonly target: Target;
  readonly variables: Variables;
  readonly evaluator: Evaluator;
  pid?: number;
  gone?: boolean;
  /** Resolves at the program's entry pause (--inspect-brk), once Node finished bootstrapping. */
  readonly entered: Promise<void>;
  enter(): void;
  /** The one-shot breakpoint that stands for --inspect-brk's entry pause (Target.entry). */
  entryBreakpoint?: string;
  /** V8's own pause state, which a pause request waits on (see v8-pause.ts). */
  readonly v8: V8Pause;
}

export class FerrySession extends LoggingDebugSession {
  private readonly coordinates = new Coordinates();
  private readonly scripts = new ScriptRegistry();
  private readonly breakpoints: Breakpoints;
  private configuration?: Configuration;
  private live?: Live;
  private paused?: Pause;
  private expected?: Expected;
  /** A Checkpoint Here is stepping the program on (nearest-point.ts): its pauses are not the user's. */
  private steppingForCheckpoint = false;
  /**
   * Settles once a terminate request in progress is answered. A run on a host ends (and its
   * inspector connection with it) before its stop over SSH returns: the client must have the
   * answer before the session's end, or it calls the request cancelled (an error for the user).
   */
  private terminateAnswered: Promise<void> = Promise.resolve();
  private nextFrameId = 1;
  private exceptionState: 'none' | 'uncaught' | 'all' = 'none';
  /** Scripts with a source map whose breakpoints are not bound yet (bound at the next pause). */
  private readonly unboundScripts: Script[] = [];
  /** Serializes work that touches breakpoints and pause state, which CDP events and requests share. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Resolves once the program was let run (process.* is only complete from then on). */
  private started: Promise<void> = Promise.resolve();
  private configurationDone?: () => void;
  private readonly configured = new Promise<void>((resolve) => {
    this.configurationDone = resolve;
  });
  private readonly progress = new ProgressReporter((event) => this.sendEvent(event));

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(false);
    this.setDebuggerColumnsStartAt1(false);
    this.breakpoints = new Breakpoints(this.scripts, this.coordinates, {
      changed: (bp) => this.sendEvent(new BreakpointEvent('changed', bp as Breakpoint)),
      log: (text, source, line, column) => this.output(`${text}\n`, 'stdout', { source, line, column }),
    });
  }

  // ---- life cycle ------------------------------------------------------------------------------

  protected override initializeRequest(
    response: DebugProtocol.InitializeResponse,
    args: DebugProtocol.InitializeRequestArguments,
  ): void {
    this.coordinates.setBases(args.linesStartAt1 === false ? 0 : 1, args.columnsStartAt1 === false ? 0 : 1);
    this.progress.enabled = args.supportsProgressReporting === true;
    response.body = {
      supportsCancelRequest: true,
      breakpointModes: BREAKPOINT_MODES,
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsCompletionsRequest: true,
      completionTriggerCharacters: ['.'],
      supportsRestartFrame: true,
      supportsLoadedSourcesRequest: true,
      supportsTerminateRequest: true,
      supportTerminateDebuggee: true,
      supportsRestartRequest: true,
      supportsExceptionInfoRequest: true,
      supportsDelayedStackTraceLoading: true,
      exceptionBreakpointFilters: [
        { filter: 'all', label: 'Caught Exceptions', description: 'Pause on every thrown exception', default: false },
        {
          filter: 'uncaught',
          label: 'Uncaught Exceptions',
          description: 'Pause on exceptions no code catches',
          default: false,
        },
      ],
    };
    this.sendResponse(response);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchArguments): Promise<void> {
    await this.begin(response, { request: 'launch', args });
  }

  protected override async attachRequest(response: DebugProtocol.AttachResponse, args: AttachArguments): Promise<void> {
    await this.begin(response, { request: 'attach', args });
  }

  private async begin(response: DebugProtocol.Response, configuration: Configuration): Promise<void> {
    logger.setup(configuration.args.trace ? Logger.LogLevel.Verbose : Logger.LogLevel.Stop, false);
    this.configuration = configuration;
    try {
      await this.connect(configuration);
    } catch (error) {
      return this.fail(response, error);
    }
    this.sendEvent(new InitializedEvent());
    this.sendResponse(response);
    this.started = this.configured.then(() => this.run());
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configurationDone?.();
    this.sendResponse(response);
  }

  /** Starts or finds the target, connects, and subscribes; the program has not run yet. */
  private async connect(configuration: Configuration): Promise<void> {
    const runInTerminal = (args: string[], cwd: string, env: Record<string, string | null>) =>
      this.runInTerminal(args, cwd, env);
    const target =
      configuration.request === 'attach'
        ? await attachTarget(configuration.args)
        : configuration.args.checkpoint
          ? await this.restore({ ...configuration.args, checkpoint: configuration.args.checkpoint }, runInTerminal)
          : await launchTarget(configuration.args, runInTerminal);
    let enter = () => {};
    const entered = new Promise<void>((resolve) => {
      enter = resolve;
    });
    const live: Live = {
      target,
      variables: new Variables(target.cdp),
      evaluator: new Evaluator(target.cdp),
      entered,
      enter,
      v8: new V8Pause(),
    };
    this.live = live;
    const { cdp } = target;
    this.forwardProgramOutput(live);
    let mainContext: number | undefined;
    cdp.on('Runtime.executionContextCreated', ({ context }) => {
      mainContext ??= context.id;
    });
    // Node waits for the debugger to leave once the program is done; leave so it can exit.
    // (Closing it ourselves does not fire onClose.)
    cdp.on('Runtime.executionContextDestroyed', ({ executionContextId }) => {
      if (executionContextId === mainContext) void cdp.close().then(() => this.onTargetGone(live));
    });
    cdp.on('Debugger.scriptParsed', (event) => {
      const script = this.scripts.add(event);
      if (event.sourceMapURL) this.unboundScripts.push(script);
    });
    cdp.on('Debugger.breakpointResolved', (event) => void this.serial(() => this.breakpoints.resolved(event)));
    cdp.on('Debugger.paused', (event) => {
      live.v8.stopped();
      void this.serial(() => this.onPaused(live, event));
    });
    cdp.on('Debugger.resumed', () => {
      live.v8.running();
      this.onResumed(live);
    });
    cdp.on('Runtime.consoleAPICalled', (event) => void this.onConsole(event));
    cdp.on('Runtime.exceptionThrown', (event) => void this.onException(event));
    cdp.onClose(() => void this.onTargetGone(live));
    await cdp.send('Runtime.enable');
    await cdp.send('Debugger.enable', {});
    await cdp.send('Debugger.setAsyncCallStackDepth', { maxDepth: 32 });
    // Pause before any script with a source map runs, so breakpoints in its original sources bind in time.
    await cdp.send('Debugger.setInstrumentationBreakpoint', { instrumentation: 'beforeScriptWithSourceMapExecution' });
    await cdp.send('Debugger.setPauseOnExceptions', { state: this.exceptionState });
    if (target.entry) {
      // By url, not urlRegex as the user's breakpoints are: V8 would refuse theirs on the same line as a duplicate.
      const entry = { url: pathToFileURL(target.entry).href, lineNumber: 0 };
      live.entryBreakpoint = (await cdp.send('Debugger.setBreakpointByUrl', entry)).breakpointId;
    }
    await this.serial(() => this.breakpoints.attach(cdp));
  }

  /** Starts the restore of a checkpoint, with a cancellable progress notification. */
  private async restore(
    args: LaunchArguments & { checkpoint: string },
    runInTerminal: Parameters<typeof restoreTarget>[1],
  ): Promise<Target> {
    const progress = this.progress.start(
      `Ferry: resuming ${basename(args.checkpoint)}${args.host ? ` on ${args.host}` : ''}`,
    );
    try {
      const target = await restoreTarget(args, runInTerminal, {
        log: (text) => {
          progress.update(text);
          this.output(`${text}\n`, 'console');
        },
      });
      if (progress.cancelled) {
        await (target.remote?.stop() ?? Promise.resolve(target.child?.kill('SIGKILL'))).catch(() => undefined);
        await target.cdp.close();
        throw new TargetError('resume cancelled: nothing was started');
      }
      return target;
    } finally {
      progress.end();
    }
  }

  /** Lets the program run once the client has set its breakpoints. */
  private async run(): Promise<void> {
    const live = this.live;
    if (!live) return;
    await live.target.cdp.send('Runtime.runIfWaitingForDebugger').catch(() => undefined);
    // A launched program stops at its entry (--inspect-brk) after bootstrapping; before that even process.pid is unset.
    if (live.target.launched) await live.entered;
    if (this.launchArgs?.checkpoint) void this.announceResumed(live);
  }

  /**
   * Tells the client (event `ferry/resumed`) once a restored program runs: the restore runtime
   * rebuilds everything synchronously, so the first check phase of its event loop comes after it.
   * A migration waits for this before it ends the original.
   */
  private async announceResumed(live: Live): Promise<void> {
    const { exceptionDetails } = await live.target.cdp
      .send('Runtime.evaluate', {
        expression: callInTarget(pidAfterAnImmediate),
        awaitPromise: true,
        silent: true,
      })
      .catch(() => ({ exceptionDetails: true }));
    if (this.live !== live || exceptionDetails) return;
    const body: ResumedBody = {
      checkpoint: this.launchArgs?.checkpoint,
      host: live.target.remote?.host,
      runId: live.target.remote?.runId,
      relay: live.target.remote?.relay,
      taken: live.target.connectionsTaken,
    };
    this.sendEvent({ seq: 0, type: 'event', event: 'ferry/resumed', body } as DebugProtocol.Event);
  }

  private runInTerminal(args: string[], cwd: string, env: Record<string, string | null>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.runInTerminalRequest(
        { kind: 'integrated', title: basename(args[args.length - 1] ?? 'node'), args, cwd, env },
        10_000,
        (reply) => {
          if (reply.success) resolve();
          else
            reject(
              new TargetError(
                `the client could not start the program in a terminal: ${reply.message ?? 'no reason given'}`,
              ),
            );
        },
      );
    });
  }

  private forwardProgramOutput(live: Live): void {
    const child = live.target.child;
    if (!child) return;
    const std = this.launchArgs?.outputCapture === 'std';
    // In 'console' mode the output arrives as console API events; the pipes are still drained so the program never blocks.
    child.stdout?.on('data', (chunk: Buffer) => {
      if (std) this.output(chunk.toString('utf8'), 'stdout');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = stripInspectorNoise(chunk.toString('utf8'));
      if (std && text) this.output(text, 'stderr');
    });
  }

  /** The target is gone (it exited, or the connection dropped): report the exit code, then end. */
  private async onTargetGone(live: Live): Promise<void> {
    if (this.live !== live || live.gone) return; // replaced by a restart, or already reported
    live.gone = true;
    live.enter(); // nothing waits for an entry that will never come
    live.v8.running(); // nor for a resume
    const child = live.target.child;
    if (child) {
      const [code, signal] =
        child.exitCode !== null || child.signalCode !== null
          ? [child.exitCode, child.signalCode]
          : await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
              child.once('close', (c, s) => resolve([c, s])),
            );
      if (this.live !== live) return;
      this.sendEvent(new ExitedEvent(code ?? 128 + (signal ? constants.signals[signal] : 0)));
    }
    this.paused = undefined;
    this.live = undefined;
    await this.terminateAnswered;
    this.sendEvent(new TerminatedEvent());
  }

  private get launchArgs(): LaunchArguments | undefined {
    return this.configuration?.request === 'launch' ? this.configuration.args : undefined;
  }

  // ---- pausing ---------------------------------------------------------------------------------

  private async onPaused(live: Live, event: Protocol.Debugger.PausedEvent): Promise<void> {
    for (const script of this.unboundScripts.splice(0)) await this.breakpoints.scriptAdded(script);
    // Ferry's own stop at an idle point: the checkpoint that asked for it resumes it.
    if (isIdlePause(event.callFrames)) return;
    if (this.steppingForCheckpoint) {
      this.paused = { event, at: Date.now(), frames: new Map() };
      return;
    }
    const reason = await this.stopReason(live, event);
    if (reason === 'checkpoint' || reason === 'checkpointMigrate') return this.onModeBreakpoint(live, event, reason);
    if (!reason) {
      await live.target.cdp.send('Debugger.resume', {}).catch(() => undefined);
      return;
    }
    this.expected = undefined;
    this.paused = { event, at: Date.now(), frames: new Map() };
    const stopped = new StoppedEvent(reason, THREAD_ID) as DebugProtocol.StoppedEvent;
    stopped.body.allThreadsStopped = true;
    if (reason === 'breakpoint') stopped.body.hitBreakpointIds = this.breakpoints.dapIds(event.hitBreakpoints ?? []);
    if (reason === 'exception') stopped.body.text = exceptionText(event.data);
    this.sendEvent(stopped);
  }

  /** The DAP stop reason for a V8 pause, or '' when the user should not see it (resume silently). */
  private async stopReason(live: Live, event: Protocol.Debugger.PausedEvent): Promise<string> {
    const hits = event.hitBreakpoints ?? [];
    const reason = event.reason as string; // Node adds 'Break on start' (--inspect-brk), absent from the protocol's enum
    // A pause the user asked for may coincide with one the adapter would resume from.
    const silent = this.expected === 'pause' ? 'pause' : '';
    if (reason === 'instrumentation' && hits.length === 0) return silent;
    if (reason === 'Break on start' || (live.entryBreakpoint && hits.includes(live.entryBreakpoint))) {
      await this.leaveEntryBreakpoint(live);
      live.enter();
      if (this.configuration?.args.stopOnEntry) return 'entry';
      if (hits.length <= 1) return silent; // else the user's own breakpoint on that line is hit too
    }
    if (reason === 'exception' || reason === 'promiseRejection') return 'exception';
    if (this.expected) return this.expected;
    if (hits.length > 0) {
      const evaluate = (callFrameId: string, expression: string) => live.evaluator.text(callFrameId, expression);
      const outcome = await this.breakpoints.onHit(hits, event.callFrames[0], evaluate);
      return outcome.pause ? 'breakpoint' : (outcome.modes[0] ?? '');
    }
    return reason === 'other' ? 'debugger statement' : reason;
  }

  private async leaveEntryBreakpoint(live: Live): Promise<void> {
    const breakpointId = live.entryBreakpoint;
    if (!breakpointId) return;
    live.entryBreakpoint = undefined;
    await live.target.cdp.send('Debugger.removeBreakpoint', { breakpointId }).catch(() => undefined);
  }

  /**
   * A breakpoint in a Ferry mode was hit (its condition and hit count passed). 'checkpoint' takes
   * a checkpoint here and continues; 'checkpointMigrate' asks the client (event
   * `ferry/migrateRequested`) to hand the program over to the default remote host, which it does
   * through `ferry/checkpoint` with then 'move' like the Migrate command.
   */
  private async onModeBreakpoint(
    live: Live,
    event: Protocol.Debugger.PausedEvent,
    mode: BreakpointMode,
  ): Promise<void> {
    if (mode === 'checkpointMigrate') {
      this.paused = { event, at: Date.now(), frames: new Map() };
      this.sendEvent({
        seq: 0,
        type: 'event',
        event: 'ferry/migrateRequested',
        body: { at: 'here' },
      } as DebugProtocol.Event);
      return;
    }
    this.paused = { event, at: Date.now(), frames: new Map() };
    // Not awaited: the checkpoint needs this pause handled (the event queue free) to make progress.
    void checkpoint({ at: 'here', then: 'continue' }, this.requestContext(live)).then(
      (written) =>
        this.sendEvent({
          seq: 0,
          type: 'event',
          event: 'ferry/checkpointWritten',
          body: written,
        } as DebugProtocol.Event),
      async (error: Error) => {
        this.output(`Ferry: the checkpoint breakpoint could not take a checkpoint: ${error.message}\n`, 'stderr');
        this.sendEvent({
          seq: 0,
          type: 'event',
          event: 'ferry/checkpointFailed',
          body: { message: error.message },
        } as DebugProtocol.Event);
        if (this.paused?.event === event) await this.resumeSilently(live);
      },
    );
  }

  private async resumeSilently(live: Live): Promise<void> {
    this.onResumed(live);
    await live.target.cdp.send('Debugger.resume', {}).catch(() => undefined);
  }

  /** The target runs again (resumed by the adapter, or by another inspector client). */
  private onResumed(live: Live): void {
    if (this.live !== live || !this.paused) return;
    this.paused = undefined;
    void live.variables.release();
  }

  /** Resumes with `command`; `expected` names the pause it leads to. */
  private async resumeWith(
    response: DebugProtocol.Response,
    command: 'Debugger.resume' | 'Debugger.stepOver' | 'Debugger.stepInto' | 'Debugger.stepOut',
    expected?: Expected,
  ): Promise<void> {
    try {
      const live = this.requireLive();
      this.expected = expected;
      this.onResumed(live); // now, not when Debugger.resumed arrives: a pause request may come first
      await live.target.cdp.send(command, {});
      this.sendResponse(response);
    } catch (error) {
      this.fail(response, error);
    }
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): Promise<void> {
    response.body = { allThreadsContinued: true };
    return this.resumeWith(response, 'Debugger.resume');
  }

  protected override nextRequest(response: DebugProtocol.NextResponse): Promise<void> {
    return this.resumeWith(response, 'Debugger.stepOver', 'step');
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse): Promise<void> {
    return this.resumeWith(response, 'Debugger.stepInto', 'step');
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): Promise<void> {
    return this.resumeWith(response, 'Debugger.stepOut', 'step');
  }

  protected override async pauseRequest(response: DebugProtocol.PauseResponse): Promise<void> {
    // Queued behind pause handling, so that a pause the adapter is about to resume silently
    // (entry, instrumentation) does not swallow it.
    await this.handle(response, (live) =>
      this.serial(async () => {
        if (this.paused) return;
        this.expected = 'pause';
        await live.v8.untilRunning(); // a resume of ours may still be on its way
        await live.target.cdp.send('Debugger.pause');
      }),
    );
  }

  protected override async restartFrameRequest(
    response: DebugProtocol.RestartFrameResponse,
    args: DebugProtocol.RestartFrameArguments,
  ): Promise<void> {
    await this.handle(response, async (live) => {
      const frame = this.syncFrame(args.frameId);
      this.expected = 'restart';
      // V8 restarts the frame and pauses again at its first statement.
      await live.target.cdp.send('Debugger.restartFrame', { callFrameId: frame.callFrameId, mode: 'StepInto' });
      this.sendEvent(new ContinuedEvent(THREAD_ID, true));
    });
  }

  protected override async setExceptionBreakPointsRequest(
    response: DebugProtocol.SetExceptionBreakpointsResponse,
    args: DebugProtocol.SetExceptionBreakpointsArguments,
  ): Promise<void> {
    this.exceptionState = args.filters.includes('all')
      ? 'all'
      : args.filters.includes('uncaught')
        ? 'uncaught'
        : 'none';
    await this.handle(response, (live) =>
      live.target.cdp.send('Debugger.setPauseOnExceptions', { state: this.exceptionState }),
    );
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const event = this.paused?.event;
    if (!event || (event.reason !== 'exception' && event.reason !== 'promiseRejection'))
      return this.fail(response, new Error('not paused on an exception'));
    const thrown = event.data as Protocol.Runtime.RemoteObject | undefined;
    response.body = {
      exceptionId: thrown?.className ?? thrown?.type ?? 'exception',
      description: exceptionText(thrown),
      breakMode: event.data?.uncaught ? 'unhandled' : 'always',
      details: { message: exceptionText(thrown), typeName: thrown?.className, stackTrace: thrown?.description },
    };
    this.sendResponse(response);
  }

  // ---- breakpoints -----------------------------------------------------------------------------

  protected override async setBreakPointsRequest(
    response: DebugProtocol.SetBreakpointsResponse,
    args: DebugProtocol.SetBreakpointsArguments,
  ): Promise<void> {
    const path = args.source.path;
    if (!path) {
      response.body = {
        breakpoints: (args.breakpoints ?? []).map((b) => ({
          verified: false,
          line: b.line,
          message: 'breakpoints need a file path',
        })),
      };
      return this.sendResponse(response);
    }
    try {
      const breakpoints = await this.serial(() => this.breakpoints.set(path, args.breakpoints ?? []));
      response.body = { breakpoints };
      this.sendResponse(response);
    } catch (error) {
      this.fail(response, error);
    }
  }

  // ---- inspection ------------------------------------------------------------------------------

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const program = this.launchArgs?.program;
    response.body = {
      threads: [new Thread(THREAD_ID, program ? `Main Thread (${basename(program)})` : 'Main Thread')],
    };
    this.sendResponse(response);
  }

  protected override async stackTraceRequest(
    response: DebugProtocol.StackTraceResponse,
    args: DebugProtocol.StackTraceArguments,
  ): Promise<void> {
    const pause = this.paused;
    if (!pause) return this.fail(response, new Error('the program is running'));
    const frames: DebugProtocol.StackFrame[] = [];
    for (const callFrame of pause.event.callFrames)
      frames.push(await this.stackFrame(pause, callFrame, callFrame.location));
    for (let chain = pause.event.asyncStackTrace; chain; chain = chain.parent) {
      if (chain.callFrames.length === 0) continue;
      frames.push({
        id: this.nextFrameId++,
        name: chain.description || 'async',
        line: 0,
        column: 0,
        presentationHint: 'label',
      });
      for (const callFrame of chain.callFrames) frames.push(await this.stackFrame(pause, callFrame, callFrame));
    }
    const start = args.startFrame ?? 0;
    response.body = {
      stackFrames: frames.slice(start, args.levels ? start + args.levels : undefined),
      totalFrames: frames.length,
    };
    this.sendResponse(response);
  }

  private async stackFrame(
    pause: Pause,
    callFrame: Protocol.Debugger.CallFrame | Protocol.Runtime.CallFrame,
    location: { scriptId: string; lineNumber: number; columnNumber?: number },
  ): Promise<DebugProtocol.StackFrame> {
    const id = this.nextFrameId++;
    pause.frames.set(id, callFrame);
    const at = await this.scripts.locate(location.scriptId, {
      line: location.lineNumber,
      column: location.columnNumber ?? 0,
    });
    const { line, column } = at ? this.coordinates.toClient(at) : { line: 0, column: 0 };
    const isSync = 'callFrameId' in callFrame;
    return {
      id,
      name: callFrame.functionName || '<anonymous>',
      source: at?.source,
      line,
      column,
      canRestart: isSync,
      presentationHint: isSync ? 'normal' : 'subtle',
    };
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const frame = this.paused?.frames.get(args.frameId);
    response.body = { scopes: frame && 'callFrameId' in frame && this.live ? this.live.variables.scopes(frame) : [] };
    this.sendResponse(response);
  }

  protected override async variablesRequest(
    response: DebugProtocol.VariablesResponse,
    args: DebugProtocol.VariablesArguments,
  ): Promise<void> {
    await this.handle(response, async (live) => {
      response.body = {
        variables: await live.variables.children(args.variablesReference, args.filter, args.start, args.count),
      };
    });
  }

  protected override async setVariableRequest(
    response: DebugProtocol.SetVariableResponse,
    args: DebugProtocol.SetVariableArguments,
  ): Promise<void> {
    await this.handle(response, async (live) => {
      const value = await live.evaluator.evaluate(args.value, {
        callFrameId: this.paused?.event.callFrames[0]?.callFrameId,
      });
      const variable = await live.variables.set(args.variablesReference, args.name, value);
      response.body = {
        value: variable.value,
        type: variable.type,
        variablesReference: variable.variablesReference,
        indexedVariables: variable.indexedVariables,
      };
    });
  }

  protected override async evaluateRequest(
    response: DebugProtocol.EvaluateResponse,
    args: DebugProtocol.EvaluateArguments,
  ): Promise<void> {
    await this.handle(response, async (live) => {
      const callFrameId = args.frameId === undefined ? undefined : this.syncFrame(args.frameId).callFrameId;
      const value = await live.evaluator.evaluate(args.expression, {
        callFrameId,
        sideEffectFree: args.context === 'hover',
      });
      const variable = live.variables.toVariable('', value, args.expression);
      response.body = {
        result: variable.value,
        type: variable.type,
        variablesReference: variable.variablesReference,
        indexedVariables: variable.indexedVariables,
      };
    });
  }

  protected override async completionsRequest(
    response: DebugProtocol.CompletionsResponse,
    args: DebugProtocol.CompletionsArguments,
  ): Promise<void> {
    await this.handle(response, async (live) => {
      const frame = args.frameId === undefined ? undefined : this.syncFrame(args.frameId);
      const scopes = frame?.scopeChain.filter((s) => s.type !== 'global').map((s) => s.object.objectId!) ?? [];
      response.body = {
        targets: await live.evaluator.completions(args.text, args.column, { callFrameId: frame?.callFrameId }, scopes),
      };
    });
  }

  protected override async loadedSourcesRequest(response: DebugProtocol.LoadedSourcesResponse): Promise<void> {
    response.body = { sources: await this.scripts.loadedSources() };
    this.sendResponse(response);
  }

  protected override async sourceRequest(
    response: DebugProtocol.SourceResponse,
    args: DebugProtocol.SourceArguments,
  ): Promise<void> {
    await this.handle(response, async (live) => {
      const script = this.scripts.fromReference(args.source?.sourceReference ?? args.sourceReference);
      if (!script) throw new Error('unknown source (the script is gone)');
      const { scriptSource } = await live.target.cdp.send('Debugger.getScriptSource', { scriptId: script.id });
      response.body = { content: scriptSource, mimeType: 'text/javascript' };
    });
  }

  // ---- ending and restarting -------------------------------------------------------------------

  protected override async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    this.terminateAnswered = this.handle(response, async (live) => {
      // A SIGTERM handler in the program can only run if the program does not pause again.
      await live.target.cdp.send('Debugger.setSkipAllPauses', { skip: true });
      if (this.paused) await live.target.cdp.send('Debugger.resume', {});
      if (live.target.remote) await live.target.remote.stop();
      else process.kill(await this.pidOf(live), 'SIGTERM');
    });
    await this.terminateAnswered;
  }

  protected override async disconnectRequest(
    response: DebugProtocol.DisconnectResponse,
    args: DebugProtocol.DisconnectArguments | undefined,
  ): Promise<void> {
    const live = this.live;
    if (live) {
      const kill = args?.terminateDebuggee ?? live.target.launched;
      await this.end(live, kill).catch(() => undefined);
    }
    this.sendResponse(response);
    this.shutdown();
  }

  protected override async restartRequest(
    response: DebugProtocol.RestartResponse,
    args: DebugProtocol.RestartArguments | undefined,
  ): Promise<void> {
    const previous = this.configuration;
    if (!previous) return this.fail(response, new Error('nothing to restart'));
    const configuration = { request: previous.request, args: args?.arguments ?? previous.args } as Configuration;
    const live = this.live;
    this.live = undefined; // the old target's exit is not the session's end
    if (live) await this.end(live, live.target.launched).catch(() => undefined);
    this.paused = undefined;
    this.scripts.clear();
    this.unboundScripts.length = 0;
    this.configuration = configuration;
    try {
      await this.connect(configuration);
    } catch (error) {
      this.fail(response, error);
      this.sendEvent(new TerminatedEvent());
      return;
    }
    this.sendResponse(response);
    this.started = this.run();
  }

  /** Ends the debugging of `live`: kills the program, or detaches and lets it run. */
  private async end(live: Live, kill: boolean): Promise<void> {
    const { cdp, child, remote } = live.target;
    if (kill && remote) {
      await remote.stop();
    } else if (kill) {
      const pid = child?.pid ?? (await this.pidOf(live));
      const exited =
        child && child.exitCode === null && child.signalCode === null
          ? new Promise((r) => child.once('close', r))
          : undefined;
      process.kill(pid, 'SIGKILL');
      await exited;
    } else if (!cdp.isClosed) {
      // Debugger.disable removes our breakpoints and resumes the program.
      await cdp.send('Debugger.disable').catch(() => undefined);
    }
    await cdp.close();
  }

  private async pidOf(live: Live): Promise<number> {
    if (live.target.child?.pid) return live.target.child.pid;
    live.pid ??= (await live.target.cdp.send('Runtime.evaluate', { expression: 'process.pid', returnByValue: true }))
      .result.value as number;
    return live.pid;
  }

  // ---- output ----------------------------------------------------------------------------------

  private async onConsole(event: Protocol.Runtime.ConsoleAPICalledEvent): Promise<void> {
    if (this.launchArgs?.outputCapture === 'std' || event.type === 'clear') return;
    const text = event.args.map((arg) => (arg.type === 'string' ? String(arg.value) : renderValue(arg))).join(' ');
    const category = ['error', 'warning', 'assert', 'trace'].includes(event.type) ? 'stderr' : 'stdout';
    const group =
      event.type === 'startGroup'
        ? 'start'
        : event.type === 'startGroupCollapsed'
          ? 'startCollapsed'
          : event.type === 'endGroup'
            ? 'end'
            : undefined;
    await this.output(group === 'end' ? '' : `${text}\n`, category, await this.locateTop(event.stackTrace), group);
  }

  private async onException(event: Protocol.Runtime.ExceptionThrownEvent): Promise<void> {
    if (this.launchArgs?.outputCapture === 'std') return; // Node prints it on stderr itself
    const details = event.exceptionDetails;
    const text = details.exception?.description ?? details.text;
    await this.output(`Uncaught ${text}\n`, 'stderr', await this.locateTop(details.stackTrace));
  }

  private async locateTop(
    stack?: Protocol.Runtime.StackTrace,
  ): Promise<{ source: DebugProtocol.Source; line: number; column: number } | undefined> {
    const top = stack?.callFrames[0];
    const at = top && (await this.scripts.locate(top.scriptId, { line: top.lineNumber, column: top.columnNumber }));
    return at && { source: at.source, ...this.coordinates.toClient(at) };
  }

  private output(
    text: string,
    category: string,
    location?: { source: DebugProtocol.Source; line: number; column: number },
    group?: DebugProtocol.OutputEvent['body']['group'],
  ): void {
    const event = new OutputEvent(text, category) as DebugProtocol.OutputEvent;
    if (location) Object.assign(event.body, location);
    if (group) event.body.group = group;
    this.sendEvent(event);
  }

  // ---- custom requests -------------------------------------------------------------------------

  protected override async customRequest(
    command: string,
    response: DebugProtocol.Response,
    args: unknown,
  ): Promise<void> {
    if (!isCustomRequest(command)) return super.customRequest(command, response, args);
    await this.started;
    await this.handle(response, async (live) => {
      response.body = await handleCustomRequest(command, args, this.requestContext(live));
    });
  }

  private requestContext(live: Live): CustomRequestContext {
    const args = this.configuration?.args;
    const cwd = this.launchArgs?.cwd ?? process.cwd();
    return {
      cdp: live.target.cdp,
      pausedCallFrames: this.paused?.event.callFrames,
      pausedAt: this.paused?.at,
      scripts: this.scripts.byId,
      inspectorUrl: live.target.cdp.webSocketUrl,
      programName: this.launchArgs?.program,
      checkpointDirectory: args?.checkpointDirectory ?? join(cwd, '.ferry'),
      exact: args?.exactCheckpoint ?? false,
      stepping: async (work) => {
        this.steppingForCheckpoint = true;
        try {
          return await work();
        } finally {
          this.steppingForCheckpoint = false;
        }
      },
      showStepped: (text, paused) => {
        if (!paused) return this.sendEvent(new ContinuedEvent(THREAD_ID, true));
        const stopped = new StoppedEvent('step', THREAD_ID) as DebugProtocol.StoppedEvent;
        stopped.body.allThreadsStopped = true;
        stopped.body.description = text;
        this.sendEvent(stopped);
      },
      log: (text) => this.output(`${text}\n`, 'console'),
      continue: async () => {
        if (!this.paused) return;
        await this.resumeSilently(live);
        this.sendEvent(new ContinuedEvent(THREAD_ID, true));
      },
      stopProgram: async () => {
        await this.end(live, true);
        await this.onTargetGone(live); // our own close of the connection fires no close event
      },
      progress: (title) => this.progress.start(title),
    };
  }

  protected override cancelRequest(response: DebugProtocol.CancelResponse, args: DebugProtocol.CancelArguments): void {
    if (args.progressId) this.progress.cancel(args.progressId);
    this.sendResponse(response);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private requireLive(): Live {
    if (!this.live) throw new Error('no program is being debugged');
    return this.live;
  }

  private syncFrame(frameId: number): Protocol.Debugger.CallFrame {
    const frame = this.paused?.frames.get(frameId);
    if (!frame || !('callFrameId' in frame))
      throw new Error('this stack frame is not available (the program continued, or it is an async frame)');
    return frame;
  }

  /** Runs a request's work against the live target; errors become DAP error responses. */
  private async handle(response: DebugProtocol.Response, work: (live: Live) => Promise<unknown>): Promise<void> {
    try {
      await work(this.requireLive());
      this.sendResponse(response);
    } catch (error) {
      this.fail(response, error);
    }
  }

  private fail(response: DebugProtocol.Response, error: unknown): void {
    this.sendErrorResponse(response, errorMessage(DAP_ERROR.request, error));
  }
}

function exceptionText(thrown: Protocol.Runtime.RemoteObject | Record<string, unknown> | undefined): string {
  const object = thrown as Protocol.Runtime.RemoteObject | undefined;
  if (!object) return 'exception';
  return object.type === 'object' ? (object.description ?? '').split('\n')[0] : renderValue(object);
}

/** The target's pid, once it has run a turn of its event loop (its program is going). Runs in the target. */
function pidAfterAnImmediate(): Promise<number> {
  return new Promise((resolve) => setImmediate(() => resolve(process.pid)));
}
