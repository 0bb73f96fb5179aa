// Capture: stop the target at a consistent point, run the agent inside it, and assemble the
// checkpoint (manifest + sections). The target is left stopped; the caller decides whether it
// continues, ends, or waits for a remote handover (see TargetControl).
import { hostname } from 'node:os';
import type { Protocol } from 'devtools-protocol';
import type { AgentOptions, AgentSummary } from './agent/index';
import { readHeap, readSummary } from './heap-transfer';
import { handAhead, installAgent, installedAgent, workAhead } from './installed-agent';
import type { KeptState } from './agent/kept';
import { isContextGone, type CdpConnection } from '../cdp/connection';
import { isFerryScript, isRuntimeScript, scriptSource, type ScriptTable, type TargetSession } from './target-session';
import type { ScriptFacts } from './analysis';
import { resolveSpecifier } from '../resume/module-links';
import { PROGRAM_ENDED, requestsInFlight, stopAtQuietIdle, type EarlierStop } from './pause';
import { pristineRuntime } from './pristine';
import { analyzeUserScripts } from './script-facts';
import { FrameRefusedError, readPausedStack, suspendedSites, type PausedStack } from './paused-stack';
import {
  jsonSection,
  SECTION,
  type FrameSite,
  type FunctionSite,
  type Section,
  type SourceEntry,
  type StoredFrame,
} from '../format/sections';
import type { CheckpointManifest } from '../format/manifest';
import type { ConnectionHolder, ConnectionsRecord } from '../format/connections';
import { FerryError } from '../errors';
import { PhaseClock } from './phases';
import { insideFinally, operationPendingAt } from '../resume/index';
import {
  MAX_STEPS,
  MAX_WALKS,
  NoSafePointError,
  inNodesCode,
  placeOf,
  refusedPosition,
  stepFor,
  stepProgram,
  type RefusedAt,
  type StepAction,
} from './nearest-point';

export interface CaptureOptions {
  /** `idle`: at the next event-loop turn with no user frame; `here`: where the target is paused. */
  at: 'idle' | 'here';
  /**
   * When the target is already paused (a breakpoint, a step), its call frames: `here` captures
   * them; `idle` lets the program go on to its next idle point and captures there.
   */
  pausedCallFrames?: Protocol.Debugger.CallFrame[];
  /** When the target stopped at `pausedCallFrames` (epoch ms); its timers' clock stands still from then (default: when the capture gets there). */
  stoppedAt?: number;
  idleTimeoutMs?: number;
  /** Replace environment values in the manifest (the restored process still gets them unless redacted). */
  redactEnv?: boolean;
  /**
   * Checkpoint Here only where the program is paused: a refusal there stands. Otherwise the program
   * is stepped on to the nearest point Ferry can resume (nearest-point.ts) and checkpointed there.
   */
  exact?: boolean;
  /**
   * Carry the program's connections (format/connections.ts), to be handed to `holder` when there
   * is one. Without it, idle keep-alive connections are closed at the idle point and every other
   * one is waited for, as a migration needs (its origin ends, nothing holds them there yet).
   */
  connections?: { holder: ConnectionHolder | null };
  onProgress?: (step: string) => void;
  /** Times the phases into the manifest; the command's own, started when it began (default: one started now). */
  clock?: PhaseClock;
}

export interface CapturedCheckpoint {
  manifest: CheckpointManifest;
  sections: Section[];
  /** The functions the checkpoint carries (its `functions` section), for the checks that need not stop the program. */
  functions: readonly FunctionSite[];
}

export class CaptureRefusedError extends FerryError {
  readonly kind = 'refused';
  constructor(
    readonly refusals: Array<{ path: string; reason: string }>,
    /** A refusal of the paused stack: where it points (nearest-point.ts). */
    readonly at?: RefusedAt,
  ) {
    super(`cannot checkpoint this program:\n${describeRefusals(refusals)}`);
  }
}

/**
 * The refusals, a few lines per root: one object of the runtime can hold dozens of functions that
 * Ferry cannot make, all refused for one reason. Each kind of reason under a root is shown once
 * (the rest are counted); `refusals` on the error keeps them all. What the program holds (a worker,
 * a child process, an addon) comes before those functions of the runtime, which it explains less.
 */
function describeRefusals(refusals: Array<{ path: string; reason: string }>): string {
  const SHOWN_PER_ROOT = 3;
  const byRoot = new Map<string, Array<{ path: string; reason: string }>>();
  const ordered = [...refusals.filter((r) => !isRuntimeFunction(r)), ...refusals.filter(isRuntimeFunction)];
  for (const refusal of ordered) {
    const root = refusal.path.split(' › ')[0];
    if (!byRoot.has(root)) byRoot.set(root, []);
    byRoot.get(root)!.push(refusal);
  }
  const lines: string[] = [];
  for (const [root, group] of byRoot) {
    // "function X, a function of the Node runtime…" is one kind whatever X is.
    const kindOf = (r: { reason: string }) => r.reason.replace(/^function [^,]*, /, '');
    const shown = new Set(group.filter((r, i) => group.findIndex((other) => kindOf(other) === kindOf(r)) === i));
    for (const r of group) if (shown.size < SHOWN_PER_ROOT) shown.add(r);
    lines.push(...group.filter((r) => shown.has(r)).map((r) => `  - ${r.path}: ${r.reason}`));
    if (group.length > shown.size) lines.push(`  - ${root}: and ${group.length - shown.size} more of these kinds`);
  }
  return lines.join('\n');
}

/** A refusal of one function of the runtime (walker.ts words it so). */
function isRuntimeFunction(refusal: { reason: string }): boolean {
  return /^function [^,]*, a (native )?function of the (Node )?runtime /.test(refusal.reason);
}

/** Stops the target (if it is not stopped already) and captures it. The target stays stopped. */
export async function captureCheckpoint(session: TargetSession, options: CaptureOptions): Promise<CapturedCheckpoint> {
  try {
    return options.at === 'here' && !options.exact
      ? await captureAtNearestPoint(session, options)
      : await capture(session, options);
  } catch (error) {
    if (error instanceof NoSafePointError) throw error;
    if (isContextGone(error)) {
      throw new Error(PROGRAM_ENDED);
    }
    if (session.cdp.isClosed)
      throw new Error('the program went away while it was being checkpointed: nothing was written');
    throw error;
  }
}

/**
 * Checkpoint Here, stepping the program on while what is refused is the place it is paused at:
 * taken at the nearest point Ferry can resume, and the manifest says where it was asked and why
 * it moved. Only a refusal of the place steps on; one of what the program holds stands.
 */
async function captureAtNearestPoint(session: TargetSession, options: CaptureOptions): Promise<CapturedCheckpoint> {
  const urlOf = (f: Protocol.Debugger.CallFrame) => session.scripts.get(f.location.scriptId)?.url ?? f.url;
  // A step may land in code Ferry sent into the target (a probe it queued): never a place of the program's.
  const isUser = (f: Protocol.Debugger.CallFrame) => !isRuntimeScript(urlOf(f)) && !isFerryScript(urlOf(f));
  const sourceOf: SourceReader = (scriptId) => scriptSource(session, scriptId);
  let frames = options.pausedCallFrames!;
  let stoppedAt = options.stoppedAt;
  let asked: { place: string; reason: string } | undefined;
  let walks = 0;
  // Set once a step would leave the program's code with nothing left to pause in.
  let toIdle = false;
  const advance = async (action: StepAction) => {
    const next = await stepOn(session, action, frames, asked!, { sourceOf, isUser });
    if (next === 'idle') toIdle = true;
    else [frames, stoppedAt] = [next, Date.now()];
  };
  for (let steps = 0; ; steps++) {
    // In Node's own code between two places of the program's, or in the middle of a statement: on.
    // Out of the program's code altogether, its next idle point is the nearest place to take it.
    const on = asked && !toIdle && (inNodesCode(frames, isUser) ?? (await midStatement(frames[0], sourceOf)));
    if (on && on !== 'into' && steps < MAX_STEPS) {
      await advance(on);
      continue;
    }
    const at = on === 'into' || toIdle ? 'idle' : 'here';
    try {
      const captured = await capture(session, { ...options, at, pausedCallFrames: frames, stoppedAt });
      if (asked) captured.manifest.nearestPoint = { asked: asked.place, reason: asked.reason, steps };
      return captured;
    } catch (error) {
      if (!(error instanceof CaptureRefusedError) || toIdle) throw error;
      const depth = frames.filter(isUser).length;
      const refused = error.at ?? refusedPosition(error.refusals, depth);
      if (!refused) throw error;
      if (!error.at) walks++;
      if (refused.action === 'stay') throw new NoSafePointError(error.message);
      if (steps === MAX_STEPS || walks > MAX_WALKS)
        throw new NoSafePointError(
          `${error.message}\n  (stepped on ${steps} times from ${asked?.place}: no point Ferry can resume was reached)`,
        );
      asked ??= { place: placeOf(frames, urlOf), reason: error.refusals.map((r) => r.reason).join('; ') };
      options.onProgress?.('stepping on to the nearest point Ferry can resume');
      await advance(stepFor(refused, frames, isUser));
    }
  }
}

/** After a step, the innermost frame stopped past part of its statement: a step over, to the next. */
async function midStatement(
  frame: Protocol.Debugger.CallFrame,
  sourceOf: SourceReader,
): Promise<StepAction | undefined> {
  const source = await sourceOf(frame.location.scriptId);
  const at = { line: frame.location.lineNumber, column: frame.location.columnNumber ?? 0 };
  try {
    return operationPendingAt(source, at) ? 'over' : undefined;
  } catch {
    return 'over'; // a place the resume engine cannot read: not one to resume at either
  }
}

/**
 * One step; the program ending on the way means it had no point Ferry can resume. A step out of a
 * `finally` block pauses in the frames under it (V8 would lose it), or, with none, is not taken:
 * `idle`, the program's next idle point is the nearest.
 */
async function stepOn(
  session: TargetSession,
  action: StepAction,
  frames: Protocol.Debugger.CallFrame[],
  asked: { place: string; reason: string },
  { sourceOf, isUser }: { sourceOf: SourceReader; isUser: (f: Protocol.Debugger.CallFrame) => boolean },
): Promise<Protocol.Debugger.CallFrame[] | 'idle'> {
  const leaving = frames.length > 0 && (await inFinallyBlock(frames[0], sourceOf));
  // Node's own functions give no places to pause in: with none of the program's under it, idle.
  const guarded = leaving ? frames.slice(1).filter(isUser) : [];
  if (leaving && guarded.length === 0) return 'idle';
  try {
    return await stepProgram(session.cdp, action, guarded);
  } catch (error) {
    if (!(error instanceof NoSafePointError) && !session.cdp.isClosed && !isContextGone(error)) throw error;
    throw new NoSafePointError(
      `${asked.place} cannot be resumed (${asked.reason}), and stepping on from there reached no point Ferry can resume: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

async function inFinallyBlock(frame: Protocol.Debugger.CallFrame, sourceOf: SourceReader): Promise<boolean> {
  const at = { line: frame.location.lineNumber, column: frame.location.columnNumber ?? 0 };
  try {
    return insideFinally(await sourceOf(frame.location.scriptId), at);
  } catch {
    return false; // a script the parser cannot read: stepped as any other
  }
}

/** A script's source (asked of the inspector once per session). */
type SourceReader = (scriptId: string) => Promise<string>;

/** Where the program stands still for the agent: its paused stack (here), or our idle frame. */
type StopPoint =
  { stack: PausedStack; idleFrame?: undefined } | { stack?: undefined; idleFrame: string; earlierStops: EarlierStop[] };

async function stopTarget(
  session: TargetSession,
  options: CaptureOptions,
  sourceOf: SourceReader,
  clock: PhaseClock,
): Promise<StopPoint> {
  const { cdp, scripts } = session;
  if (options.at === 'here') {
    options.onProgress?.('reading the paused frames');
    let stack: PausedStack;
    try {
      stack = await readPausedStack(cdp, options.pausedCallFrames!, scripts, sourceOf);
    } catch (error) {
      if (error instanceof FrameRefusedError)
        throw new CaptureRefusedError([{ path: 'the paused stack', reason: error.message }], error.at);
      throw error;
    }
    await refuseRequestsInFlight(cdp);
    return { stack };
  }
  options.onProgress?.('waiting for the program to reach an idle point');
  const {
    frame: idleFrame,
    earlierStops,
    stoppedAt,
  } = await stopAtQuietIdle(
    cdp,
    options.idleTimeoutMs ?? 10000,
    scripts,
    !!options.pausedCallFrames,
    options.stoppedAt,
    !!options.connections,
  );
  clock.stopped('to the idle point', stoppedAt);
  const listener = await cdp.send('Debugger.evaluateOnCallFrame', {
    callFrameId: idleFrame,
    expression: 'listenerError',
    returnByValue: true,
  });
  if (typeof listener.result.value === 'string')
    throw new Error(`the program's ferry:checkpoint listener threw, so nothing was taken:\n${listener.result.value}`);
  clock.mark('idle checks');
  return { idleFrame, earlierStops };
}

/** A request in flight at a breakpoint (sonic-boom's fs.write) is refused: stepping on outlasts it. */
async function refuseRequestsInFlight(cdp: CdpConnection): Promise<void> {
  const requests = await requestsInFlight(cdp);
  if (requests.length === 0) return;
  const reason = `${requests.length} request(s) in flight (${[...new Set(requests)].join(', ')}), such as a file system call or a DNS lookup: their callbacks would never come in the restored program; step on until they are done, or checkpoint at idle`;
  throw new CaptureRefusedError([{ path: 'requests in flight', reason }], { frame: 0, action: 'out' });
}

async function runAgent(
  session: TargetSession,
  agentOptions: AgentOptions,
  point: StopPoint,
  stoppedAt: number | undefined,
  clock: PhaseClock,
): Promise<{ summary: AgentSummary; heap: Buffer }> {
  const evaluation = point.stack
    ? await runAgentOnStack(session, agentOptions, point.stack, stoppedAt ?? Date.now())
    : await runAgentAtIdle(session, agentOptions, point.idleFrame, point.earlierStops);
  if (evaluation.exceptionDetails) {
    const detail = evaluation.exceptionDetails.exception?.description ?? evaluation.exceptionDetails.text;
    throw new Error(`the capture agent failed inside the target: ${detail}`);
  }
  const result = await readAgentResult(session.cdp, evaluation.result.objectId!, clock);
  if (result.summary.refusals.length > 0) throw new CaptureRefusedError(result.summary.refusals);
  return result;
}

/** The sources of every function, paused frame and suspended function the checkpoint holds, asked at once. */
function readSources(
  summary: AgentSummary,
  stack: PausedStack | undefined,
  scripts: ScriptTable,
  sourceOf: SourceReader,
): Promise<SourceEntry[]> {
  const ids = new Set([
    ...summary.sites.map((site) => site.scriptId),
    ...(stack?.scriptIds ?? []),
    ...summary.suspended.map((f) => f.scriptId),
  ]);
  return Promise.all(
    [...ids].map(async (scriptId): Promise<SourceEntry> => ({
      scriptId,
      url: scripts.get(scriptId)?.url ?? '',
      source: await sourceOf(scriptId),
      ...(scripts.get(scriptId)?.isModule ? { module: true } : {}),
    })),
  );
}

function frameSitesOf(
  summary: AgentSummary,
  stack: PausedStack | undefined,
  scripts: ScriptTable,
  sources: SourceEntry[],
): FrameSite[] {
  try {
    return [
      ...(stack?.sites ?? []),
      ...suspendedSites(summary.suspended, scripts, new Map(sources.map((s) => [s.scriptId, s.source]))),
    ];
  } catch (error) {
    if (error instanceof FrameRefusedError)
      throw new CaptureRefusedError([{ path: 'a suspended function', reason: error.message }]);
    throw error;
  }
}

function manifestOf(
  options: CaptureOptions,
  summary: AgentSummary,
  stack: PausedStack | undefined,
  clock: PhaseClock,
): CheckpointManifest {
  const connections: ConnectionsRecord | undefined =
    summary.connections.length > 0
      ? { sockets: summary.connections, holder: options.connections?.holder ?? null }
      : undefined;
  return {
    ferry: 1,
    kind: options.at,
    createdAt: new Date().toISOString(),
    originHost: hostname(),
    node: { version: summary.process.version, platform: summary.process.platform, arch: summary.process.arch },
    program: {
      main: summary.mainModule,
      argv: summary.process.argv,
      execArgv: summary.process.execArgv,
      cwd: summary.process.cwd,
      pid: summary.process.pid,
    },
    process: {
      env: options.redactEnv ? {} : summary.process.env,
      title: summary.process.title,
      umask: summary.process.umask,
      exitCode: summary.process.exitCode ?? null,
    },
    modules: summary.modules,
    heap: {
      rootId: summary.rootId,
      objects: summary.objectCount,
      bytes: summary.heapBytes,
      functions: summary.sites.length,
    },
    handles: {
      timers: { count: summary.timers, policy: 're-arm' },
      immediates: { count: summary.immediates, policy: 're-arm' },
      servers: summary.servers.map((s) => ({ ...s, policy: serverPolicy(s, connections) })),
      files: summary.files.map((f) => ({ ...f, policy: 'reopen' })),
      ...(connections ? { connections } : {}),
    },
    stack: stack && {
      frames: stack.sites.map((f) => ({
        functionName: f.functionName,
        url: f.url,
        line: f.location.line + 1,
        column: f.location.column + 1,
      })),
    },
    suspended: summary.suspended.length > 0 ? summary.suspended.length : undefined,
    warnings: summary.warnings,
    timings: clock.result,
  };
}

/** A server whose listening socket a holder keeps is taken over at restore; any other listens anew. */
function serverPolicy(server: AgentSummary['servers'][number], connections: ConnectionsRecord | undefined): string {
  const held =
    connections?.holder &&
    connections.sockets.some((c) => c.role === 'listening' && c.local === `${server.address}:${server.port}`);
  return held ? 'held' : 're-listen';
}

function sectionsOf(summary: AgentSummary, heap: Buffer, sources: SourceEntry[], frameSites: FrameSite[]): Section[] {
  const sections: Section[] = [
    [SECTION.heap, heap],
    jsonSection(SECTION.functions, summary.sites),
    jsonSection(SECTION.sources, sources),
  ];
  if (frameSites.length > 0)
    sections.push(
      jsonSection(
        SECTION.frames,
        frameSites.map((site, k): StoredFrame => ({ ...site, ...summary.frames[k] })),
      ),
    );
  return sections;
}

async function capture(session: TargetSession, options: CaptureOptions): Promise<CapturedCheckpoint> {
  const { cdp, scripts } = session;
  const clock = (options.clock ??= new PhaseClock());
  if (options.at === 'here' && !options.pausedCallFrames)
    throw new Error('Checkpoint Here needs the program paused at a breakpoint or step');
  if (options.at === 'here') clock.startStopped(); // at its breakpoint since before the capture
  const installed = await installAgent(session);
  clock.mark('agent install');
  // Read before the program stops (this takes a while for big scripts); what it loads on the way, after.
  const [pristine, scriptFacts] = await Promise.all([
    installed.pristine ? undefined : (session.pristine ?? pristineRuntime(cdp)),
    analyzeUserScripts(session, new Set(installed.scripts)),
  ]);
  const esRefusals = esModuleRefusals(scripts, scriptFacts);
  if (esRefusals.length > 0) throw new CaptureRefusedError(esRefusals);
  clock.mark('script analysis');
  const factsToHand = newFacts(scriptFacts, installed);
  const kept =
    pristine || Object.keys(factsToHand).length > 0
      ? await handAhead(session, { pristine, scriptFacts: factsToHand })
      : installed;
  const known = new Set(kept.scripts);
  // Not at a breakpoint: the program is already stopped there, and would wait for each slice.
  const aheadToken = options.at === 'idle' ? await workAhead(session, userScriptIds(scripts)) : undefined;
  clock.mark('work ahead');
  const sourceOf: SourceReader = (scriptId) => scriptSource(session, scriptId);
  const point = await stopTarget(session, options, sourceOf, clock);

  options.onProgress?.('reading the heap');
  try {
    // What the program loaded on its way to the stop (an import() before its idle point) is read now.
    const lateFacts = await analyzeUserScripts(session, known);
    const lateRefusals = esModuleRefusals(scripts, lateFacts);
    if (lateRefusals.length > 0) throw new CaptureRefusedError(lateRefusals);
    clock.mark('script analysis');
    const agentOptions: AgentOptions = {
      userScriptIds: userScriptIds(scripts),
      esModuleScriptIds: [...scripts.values()]
        .filter((s) => s.isModule && s.url && !isRuntimeScript(s.url))
        .map((s) => s.scriptId),
      scriptFacts: newFacts(lateFacts, kept),
      carryConnections: !!options.connections,
      webAssemblyCompiled: [...scripts.values()].some((s) => s.scriptLanguage === 'WebAssembly'),
      aheadToken,
    };
    const { summary, heap } = await runAgent(session, agentOptions, point, options.stoppedAt, clock);
    options.onProgress?.('reading sources');
    const sources = await readSources(summary, point.stack, scripts, sourceOf);
    clock.mark('sources');
    const frameSites = frameSitesOf(summary, point.stack, scripts, sources);
    const manifest = manifestOf(options, summary, point.stack, clock);
    clock.mark('assembly');
    return { manifest, sections: sectionsOf(summary, heap, sources, frameSites), functions: summary.sites };
  } finally {
    await cdp.send('Runtime.releaseObjectGroup', { objectGroup: AGENT_GROUP }).catch(() => undefined);
  }
}

/** Every script that is not Node's: a function of any other script is the runtime's. */
function userScriptIds(scripts: ScriptTable): string[] {
  return [...scripts.values()].filter((s) => !isRuntimeScript(s.url)).map((s) => s.scriptId);
}

/** The facts of the scripts the agent has none for yet. */
function newFacts(facts: Record<string, ScriptFacts>, kept: KeptState): Record<string, ScriptFacts> {
  const known = new Set(kept.scripts);
  return Object.fromEntries(Object.entries(facts).filter(([scriptId]) => !known.has(scriptId)));
}

/** The inspector's handles on the agent's result (and its heap bytes) are released together by this group. */
const AGENT_GROUP = 'ferry-capture';

/** The agent's summary and its heap section, read out of the target (heap-transfer.ts). */
async function readAgentResult(
  cdp: CdpConnection,
  objectId: string,
  clock: PhaseClock,
): Promise<{ summary: AgentSummary; heap: Buffer }> {
  const { summary, parts } = await readSummary(cdp, objectId);
  clock.markWithParts('agent call', summary.timings);
  const heap = await readHeap(cdp, objectId, parts);
  clock.mark('heap read');
  return { summary, heap };
}

function agentCall(options: AgentOptions): string {
  return `${installedAgent()}.capture(${JSON.stringify(options)}`;
}

/** At our idle frame: evaluated there, to hand the agent the instant the program stopped (and the stops before). */
function runAgentAtIdle(session: TargetSession, options: AgentOptions, idleFrame: string, earlierStops: EarlierStop[]) {
  return session.cdp.send('Debugger.evaluateOnCallFrame', {
    callFrameId: idleFrame,
    expression: `${agentCall(options)}, { pausedAt, immediate: this, earlierStops: ${JSON.stringify(earlierStops)} })`,
    objectGroup: AGENT_GROUP,
    silent: true,
  });
}

/**
 * A module that may import one of `names` (or the namespace) from a package's module by its
 * package name: the restore cannot follow such a link. Node resolves `pkg/...` only inside a
 * `node_modules/pkg/` directory (a package's exports cannot point out of it); a `#name` import
 * may lead anywhere. Undefined when no module can (as marked's users import `marked`, never the
 * `defaults` its setOptions reassigns).
 */
function importedByPackageName(
  exporter: string,
  names: string[],
  modules: Array<{ scriptId: string; url: string }>,
  facts: Record<string, ScriptFacts>,
): string | undefined {
  const reachable = (specifier: string): boolean => {
    if (specifier.startsWith('#')) return true;
    const parts = specifier.split('/');
    const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
    return exporter.includes(`/node_modules/${name}/`);
  };
  return modules.find((m) =>
    (facts[m.scriptId]?.imports ?? []).some(
      ({ specifier, imported }) =>
        resolveSpecifier(specifier, m.url) === undefined &&
        !specifier.startsWith('node:') &&
        (imported === '*' || names.includes(imported)) &&
        reachable(specifier),
    ),
  )?.url;
}

/** On a paused stack: one call that hands the agent every frame's scopes and values at once. */
function runAgentOnStack(session: TargetSession, options: AgentOptions, stack: PausedStack, stoppedAt: number) {
  const anchor = stack.values.find((v) => v.objectId)!;
  return session.cdp.send('Runtime.callFunctionOn', {
    functionDeclaration: `function (frames, running, batchFrom, stoppedAt, ...values) { return ${agentCall(options)}, undefined, { frames, running, batchFrom, stoppedAt, values }); }`,
    objectId: anchor.objectId,
    arguments: [
      { value: stack.inputs },
      { value: stack.running ?? null },
      { value: stack.batchFrom ?? null },
      { value: stoppedAt },
      ...stack.values,
    ],
    objectGroup: AGENT_GROUP,
    silent: true,
  });
}

/**
 * An ES module's top-level bindings are carried like a closure context, so what a module record
 * adds is checked: an exported binding the module reassigns is seen live by its importers, which
 * the restore keeps for imports it can follow (a relative or absolute specifier, named or
 * namespace); one passed on by `export ... from`, reached by `import()` or imported by package
 * name is refused (a package reassigning an export none imports by name is not). So is `import.meta` read by a function (restored code is no longer a module).
 */
function esModuleRefusals(
  scripts: ScriptTable,
  facts: Record<string, ScriptFacts>,
): Array<{ path: string; reason: string }> {
  const modules = [...scripts.values()].filter((s) => s.isModule && s.url && !isRuntimeScript(s.url));
  const unfollowed = (exporter: string, names: string[]): string | undefined => {
    const byName = exporter.includes('/node_modules/')
      ? importedByPackageName(exporter, names, modules, facts)
      : undefined;
    if (byName) return `it is a package, and ${byName} imports it by name`;
    for (const m of modules) {
      const fact = facts[m.scriptId];
      if (fact?.reexports?.some((spec) => resolveSpecifier(spec, m.url) === exporter))
        return `${m.url} passes it on with \`export ... from\``;
      if (fact?.dynamicImport) return `${m.url} calls import(), whose namespace objects are not kept live`;
    }
    return undefined;
  };
  return modules.flatMap((script) => {
    const path = `module ${script.url}`;
    const fact = facts[script.scriptId];
    if (!fact) return [{ path, reason: 'an ES module whose source could not be read' }];
    const why = fact.reassignedExports?.length ? unfollowed(script.url, fact.reassignedExports) : undefined;
    return [
      ...(why
        ? fact.reassignedExports!.map((name) => ({
            path,
            reason: `reassigns its exported \`${name}\`, a live binding for its importers that Ferry cannot follow here: ${why}`,
          }))
        : []),
      ...(fact.importMetaInFunction
        ? [{ path, reason: 'a function reads import.meta, which restored code (no longer a module) cannot' }]
        : []),
    ];
  });
}
