// A controlling session on a target: the CDP connection plus the scripts the target has parsed,
// which capture needs to tell the program's code from the runtime's and to read sources.
import type { Protocol } from 'devtools-protocol';
import { CdpConnection } from '../cdp/connection';

export type ScriptTable = Map<string, Protocol.Debugger.ScriptParsedEvent>;

export interface TargetSession {
  cdp: CdpConnection;
  scripts: ScriptTable;
}

/** Connects and enables the debugger; the target keeps running. */
export async function openTargetSession(target: string): Promise<TargetSession> {
  const cdp = await CdpConnection.connect(target);
  const scripts: ScriptTable = new Map();
  cdp.on('Debugger.scriptParsed', (event) => scripts.set(event.scriptId, event));
  await cdp.send('Runtime.enable');
  await cdp.send('Debugger.enable', {});
  // Node's runtime scripts are reported as they were parsed at startup, before Debugger.enable returns.
  await cdp.send('Runtime.runIfWaitingForDebugger').catch(() => undefined);
  return { cdp, scripts };
}

export function isRuntimeScript(url: string): boolean {
  return url.startsWith('node:') || url.startsWith('internal/') || url === 'node:internal/main/run_main_module';
}
