// A controlling session on a target: the CDP connection plus the scripts the target has parsed,
// which capture needs to tell the program's code from the runtime's and to read sources.
import type { Protocol } from 'devtools-protocol';
import { CdpConnection, isContextGone } from '../cdp/connection';
import { IN_TARGET_URL } from '../cdp/in-target';
import { pristineRuntime, type PristineRuntime } from './pristine';
import type { ScriptFacts } from './analysis';
import { attachToPid, inspectorAt, type AttachedInspector } from '../target/attach';

export type ScriptTable = Map<string, Protocol.Debugger.ScriptParsedEvent>;

export interface TargetSession {
  cdp: CdpConnection;
  scripts: ScriptTable;
  /** What a fresh process of the target's Node has (asked ahead: it takes a process start). */
  pristine?: PristineRuntime;
  /** Per script id, what its source says (filled in by capture, kept for the next one). */
  scriptFacts?: Map<string, ScriptFacts | null>;
  /** Per script id, its source as asked of the inspector (a script never changes). */
  sources?: Map<string, Promise<string>>;
}

/** A script's source, asked of the inspector once per session. */
export function scriptSource(session: TargetSession, scriptId: string): Promise<string> {
  const sources = (session.sources ??= new Map());
  let source = sources.get(scriptId);
  if (!source) {
    source = session.cdp.send('Debugger.getScriptSource', { scriptId }).then((r) => r.scriptSource);
    source.catch(() => sources.delete(scriptId)); // asked again next time
    sources.set(scriptId, source);
  }
  return source;
}

/**
 * Connects and enables the debugger. A target started with --inspect-brk is let go once the
 * session is ready (so nothing it does happens before we can see it); others keep running.
 */
export async function openTargetSession(
  target: string,
  options: { startedWithBreak?: boolean; beforeStart?: (cdp: CdpConnection) => Promise<void> } = {},
): Promise<TargetSession> {
  const cdp = await CdpConnection.connect(target);
  const scripts: ScriptTable = new Map();
  cdp.on('Debugger.scriptParsed', (event) => scripts.set(event.scriptId, event));
  const startPause = options.startedWithBreak ? cdp.once('Debugger.paused', undefined, 10000) : undefined;
  startPause?.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  await cdp.send('Runtime.enable');
  await cdp.send('Debugger.enable', {});
  await cdp.send('Runtime.runIfWaitingForDebugger');
  if (startPause) await startPause;
  // Asked while a --inspect-brk target still waits on its first line, so its run is not disturbed.
  // (A running program's is asked by its first capture, unless the agent installed there has it.)
  const pristine = startPause
    ? await pristineRuntime(cdp).catch((error: unknown) => {
        throw isContextGone(error) ? new Error('the program ended as Ferry attached to it: nothing was taken') : error;
      })
    : undefined;
  await options.beforeStart?.(cdp); // breakpoints, for one: set before the program's first line runs
  if (startPause) await cdp.send('Debugger.resume', {});
  return { cdp, scripts, pristine };
}

/** Ferry's own code sent into the target (the agent, its probes): never the program's, never walked. */
export function isFerryScript(url: string): boolean {
  return url === IN_TARGET_URL;
}

export function isRuntimeScript(url: string): boolean {
  return url.startsWith('node:') || url.startsWith('internal/') || url === 'node:internal/main/run_main_module';
}

/** A running program as a command names it: by pid, or by the address of an inspector already open. */
export interface NamedProgram {
  pid?: number;
  inspect?: string;
}

/**
 * Attaches to the named program (then `onAttached`, a phase mark) and opens a session on it. `attached.release()` lets go of it
 * (close the session first); a session that cannot be opened lets go before the error is thrown.
 */
export async function openNamedProgram(
  named: NamedProgram,
  onAttached?: () => void,
): Promise<{ attached: AttachedInspector; session: TargetSession }> {
  const attached = named.inspect
    ? inspectorAt(named.inspect)
    : named.pid !== undefined
      ? await attachToPid(named.pid)
      : undefined;
  if (!attached) throw new Error('say which program: --pid PID or --inspect HOST:PORT');
  onAttached?.();
  const session = await openTargetSession(attached.url).catch(async (error: unknown) => {
    await attached.release();
    throw error;
  });
  return { attached, session };
}
