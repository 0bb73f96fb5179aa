// Source breakpoints: DAP breakpoints per source file, bound to V8 breakpoints by URL (so they bind
// again to scripts loaded later or reloaded) or, for source-mapped files, at the generated position.
// Hit conditions, logpoints and breakpoint modes are decided here when V8 pauses on a bound breakpoint.
import { pathToFileURL } from 'node:url';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Protocol } from 'devtools-protocol';
import type { CdpConnection } from '../snapshot/cdp/connection';
import type { Coordinates, Script, ScriptRegistry } from './scripts';
import type { Position } from './sourcemaps';

export interface BreakpointEvents {
  changed(breakpoint: DebugProtocol.Breakpoint): void;
  /** A logpoint's message, to be shown at its location. */
  log(text: string, source: DebugProtocol.Source, line: number, column: number): void;
}

/** DAP breakpoint modes: what a hit does instead of showing the pause. */
export const BREAKPOINT_MODES: DebugProtocol.BreakpointMode[] = [
  {
    mode: 'checkpoint',
    label: 'Checkpoint',
    description: 'Take a checkpoint when hit, then continue',
    appliesTo: ['source'],
  },
  {
    mode: 'checkpointMigrate',
    label: 'Checkpoint and Migrate',
    description: 'When hit, move the program to the default remote host (ferry.defaultHost)',
    appliesTo: ['source'],
  },
];
export type BreakpointMode = 'checkpoint' | 'checkpointMigrate';

/** What a pause on breakpoints leads to: shown to the user, and/or the modes of the breakpoints hit. */
export interface HitOutcome {
  pause: boolean;
  modes: BreakpointMode[];
}

/** Evaluates a logpoint's `{expression}` parts on the paused frame and renders them. */
export type FrameEvaluator = (callFrameId: string, expression: string) => Promise<string>;

interface UserBreakpoint {
  readonly id: number;
  readonly path: string;
  readonly position: Position & { exact: boolean };
  readonly condition?: string;
  readonly hitCondition?: (hits: number) => boolean;
  readonly logMessage?: string;
  readonly mode?: BreakpointMode;
  hits: number;
  /** V8 breakpoint ids, keyed by what they are bound to: a script URL, or `path` for by-URL binding. */
  readonly bindings: Map<string, string>;
  verified?: DebugProtocol.Breakpoint;
}

const HIT_CONDITION = /^\s*(>=|<=|==|>|<|%)?\s*(\d+)\s*$/;

export class Breakpoints {
  private readonly byPath = new Map<string, UserBreakpoint[]>();
  private readonly byCdpId = new Map<string, UserBreakpoint>();
  private nextId = 1;
  private cdp?: CdpConnection;

  constructor(
    private readonly scripts: ScriptRegistry,
    private readonly coordinates: Coordinates,
    private readonly events: BreakpointEvents,
  ) {}

  /** Binds every breakpoint to a (new) target; breakpoints outlive targets across `restart`. */
  async attach(cdp: CdpConnection): Promise<void> {
    this.cdp = cdp;
    this.byCdpId.clear();
    for (const list of this.byPath.values()) {
      for (const bp of list) {
        bp.bindings.clear();
        bp.verified = undefined;
        await this.bind(bp);
      }
    }
  }

  /** DAP setBreakpoints: replaces the breakpoints of one file. */
  async set(path: string, requested: DebugProtocol.SourceBreakpoint[]): Promise<DebugProtocol.Breakpoint[]> {
    for (const old of this.byPath.get(path) ?? []) await this.unbind(old, [...old.bindings.keys()]);
    const list: UserBreakpoint[] = [];
    const results: DebugProtocol.Breakpoint[] = [];
    for (const request of requested) {
      const id = this.nextId++;
      const hitCondition = request.hitCondition ? parseHitCondition(request.hitCondition) : undefined;
      if (hitCondition === null) {
        results.push({
          id,
          verified: false,
          line: request.line,
          message: `invalid hit condition "${request.hitCondition}" (use N, ==N, >N, >=N, <N, <=N or %N)`,
        });
        continue;
      }
      if (request.mode !== undefined && !BREAKPOINT_MODES.some((m) => m.mode === request.mode)) {
        results.push({ id, verified: false, line: request.line, message: `unknown breakpoint mode "${request.mode}"` });
        continue;
      }
      const { line, column } = this.coordinates.fromClient(request.line, request.column);
      const bp: UserBreakpoint = {
        mode: request.mode as BreakpointMode | undefined,
        id,
        path,
        position: { line, column: column ?? 0, exact: column !== undefined },
        condition: request.condition || undefined,
        hitCondition,
        logMessage: request.logMessage || undefined,
        hits: 0,
        bindings: new Map(),
      };
      list.push(bp);
      await this.bind(bp);
      results.push(
        bp.verified ?? {
          id,
          verified: false,
          line: request.line,
          column: request.column,
          message: 'not bound yet: the code has not been loaded',
        },
      );
    }
    this.byPath.set(path, list);
    return results;
  }

  /** A script was parsed: bind the breakpoints set in the original sources of its source map. */
  async scriptAdded(script: Script): Promise<void> {
    const map = await script.map;
    if (!map) return;
    for (const path of map.sources) {
      for (const bp of this.byPath.get(path) ?? []) {
        if (!bp.bindings.has(script.url)) await this.bind(bp);
      }
    }
  }

  /** V8 bound a by-URL breakpoint to a script parsed later. */
  async resolved(event: Protocol.Debugger.BreakpointResolvedEvent): Promise<void> {
    const bp = this.byCdpId.get(event.breakpointId);
    if (bp && !bp.verified) await this.verify(bp, event.location);
  }

  /**
   * V8 paused on breakpoints `hitIds`: counts hits, prints logpoints, and says whether the user
   * should see the pause, and which breakpoint modes fire.
   */
  async onHit(
    hitIds: readonly string[],
    frame: Protocol.Debugger.CallFrame,
    evaluate: FrameEvaluator,
  ): Promise<HitOutcome> {
    let pause = false;
    const modes = new Set<BreakpointMode>();
    const hit = new Set(
      hitIds.map((id) => this.byCdpId.get(id)).filter((bp): bp is UserBreakpoint => bp !== undefined),
    );
    for (const bp of hit) {
      bp.hits++;
      if (bp.hitCondition && !bp.hitCondition(bp.hits)) continue;
      if (bp.mode) {
        modes.add(bp.mode);
        continue;
      }
      if (!bp.logMessage) {
        pause = true;
        continue;
      }
      const text = await renderLogMessage(bp.logMessage, (expression) => evaluate(frame.callFrameId, expression));
      const at = await this.scripts.locate(frame.location.scriptId, {
        line: frame.location.lineNumber,
        column: frame.location.columnNumber ?? 0,
      });
      if (at) {
        const { line, column } = this.coordinates.toClient(at);
        this.events.log(text, at.source, line, column);
      }
    }
    return { pause: pause || hit.size === 0, modes: [...modes] };
  }

  /** The DAP ids of the user breakpoints behind V8 breakpoint ids (for stopped events). */
  dapIds(hitIds: readonly string[]): number[] {
    return [...new Set(hitIds.map((id) => this.byCdpId.get(id)?.id).filter((id): id is number => id !== undefined))];
  }

  private async bind(bp: UserBreakpoint): Promise<void> {
    const cdp = this.cdp;
    if (!cdp) return;
    const mapped = await this.scripts.mappedFrom(bp.path);
    if (mapped.length === 0) {
      if (!bp.bindings.has(bp.path)) {
        await this.setByUrl(cdp, bp, bp.path, {
          urlRegex: urlRegexFor(bp.path),
          lineNumber: bp.position.line,
          columnNumber: bp.position.exact ? bp.position.column : undefined,
        });
      }
      return;
    }
    // The file is a source-map original: bind at the generated position in each script built from it.
    await this.unbind(bp, [bp.path]);
    for (const { script, map } of mapped) {
      if (bp.bindings.has(script.url)) continue;
      const generated = map.toGenerated(bp.path, bp.position);
      if (generated)
        await this.setByUrl(cdp, bp, script.url, {
          url: script.url,
          lineNumber: generated.line,
          columnNumber: generated.column,
        });
    }
  }

  private async setByUrl(
    cdp: CdpConnection,
    bp: UserBreakpoint,
    key: string,
    params: Protocol.Debugger.SetBreakpointByUrlRequest,
  ): Promise<void> {
    try {
      const { breakpointId, locations } = await cdp.send('Debugger.setBreakpointByUrl', {
        ...params,
        condition: bp.condition,
      });
      bp.bindings.set(key, breakpointId);
      this.byCdpId.set(breakpointId, bp);
      if (locations.length > 0 && !bp.verified) await this.verify(bp, locations[0]);
    } catch (error) {
      // V8 refuses a second breakpoint at the same spot; the first one already covers it.
      if (!bp.verified) bp.verified = { id: bp.id, verified: false, message: (error as Error).message };
    }
  }

  private async unbind(bp: UserBreakpoint, keys: string[]): Promise<void> {
    for (const key of keys) {
      const cdpId = bp.bindings.get(key);
      if (cdpId === undefined) continue;
      bp.bindings.delete(key);
      this.byCdpId.delete(cdpId);
      if (this.cdp && !this.cdp.isClosed)
        await this.cdp.send('Debugger.removeBreakpoint', { breakpointId: cdpId }).catch(() => undefined);
    }
  }

  private async verify(bp: UserBreakpoint, location: Protocol.Debugger.Location): Promise<void> {
    const at = await this.scripts.locate(location.scriptId, {
      line: location.lineNumber,
      column: location.columnNumber ?? 0,
    });
    if (!at) return;
    const wasKnown = bp.verified !== undefined;
    const { line, column } = this.coordinates.toClient(at);
    bp.verified = { id: bp.id, verified: true, source: at.source, line, column };
    if (wasKnown || this.byPath.get(bp.path)?.includes(bp)) this.events.changed(bp.verified);
  }
}

/** V8 reports CommonJS and ESM scripts as file:// URLs; match either spelling of the path. */
function urlRegexFor(path: string): string {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `^(${escape(pathToFileURL(path).href)}|${escape(path)})$`;
}

/** Parses a DAP hit condition; null when it is not one (a bare N means "the Nth hit"). */
function parseHitCondition(text: string): ((hits: number) => boolean) | null {
  const match = HIT_CONDITION.exec(text);
  if (!match) return null;
  const n = Number(match[2]);
  switch (match[1] ?? '==') {
    case '>':
      return (hits) => hits > n;
    case '>=':
      return (hits) => hits >= n;
    case '<':
      return (hits) => hits < n;
    case '<=':
      return (hits) => hits <= n;
    case '%':
      return (hits) => n > 0 && hits % n === 0;
    default:
      return (hits) => hits === n;
  }
}

/** Replaces each `{expression}` in a logpoint message with its rendered value. */
async function renderLogMessage(message: string, evaluate: (expression: string) => Promise<string>): Promise<string> {
  let out = '';
  let last = 0;
  for (const match of message.matchAll(/\{([^{}]+)\}/g)) {
    out += message.slice(last, match.index) + (await evaluate(match[1]));
    last = match.index! + match[0].length;
  }
  return out + message.slice(last);
}
