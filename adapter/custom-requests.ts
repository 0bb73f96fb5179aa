// Ferry's custom DAP requests: the one place where checkpoint features enter the debug adapter.
//
// A client sends a DAP request whose `command` starts with `ferry/` (in VS Code:
// `vscode.debug.activeDebugSession.customRequest('ferry/targetInfo')`). The session looks the
// command up in HANDLERS and answers with the handler's result as the response body, or with an
// error response carrying the handler's error message.
//
// Requests:
//   ferry/targetInfo   {} -> TargetInfo: the debugged process (pid, Node version, inspector URL,
//                      whether it is paused).
//   ferry/checkpoint   { at, output?, then? } -> CheckpointWritten (see checkpoint.ts).
//   ferry/release      { then } -> {}: lets go of a program a checkpoint with then 'hold' or 'move'
//                      kept stopped.
//
// Handlers get a CustomRequestContext: the session's CDP connection, the call frames of the
// current pause, and every script V8 has parsed. They run inside the adapter process; anything
// that reads or rebuilds program state belongs in snapshot/ and is only called from here.
import type { Protocol } from 'devtools-protocol';
import type { CdpConnection } from '../snapshot/cdp/connection';
import { checkpoint, release } from './checkpoint';
import type { Progress } from './progress';
import { callInTarget } from '../snapshot/cdp/in-target';

export interface CustomRequestContext {
  readonly cdp: CdpConnection;
  /** The call frames of the current `Debugger.paused` event; undefined while the target runs. */
  readonly pausedCallFrames: readonly Protocol.Debugger.CallFrame[] | undefined;
  /** When the program stopped there (epoch ms). */
  readonly pausedAt: number | undefined;
  /** Every script V8 reported with `Debugger.scriptParsed`, by scriptId. */
  readonly scripts: Map<string, Protocol.Debugger.ScriptParsedEvent>;
  /** The inspector's WebSocket URL. */
  readonly inspectorUrl: string;
  /** The debugged script's path, when the session knows it. */
  readonly programName?: string;
  /** Where checkpoints are written when the request names no file. */
  readonly checkpointDirectory: string;
  /** Checkpoint Here only where the program is paused (the `exactCheckpoint` setting). */
  readonly exact: boolean;
  /** Runs `work` with the pauses it causes (a Checkpoint Here stepping on) kept from the client. */
  stepping<T>(work: () => Promise<T>): Promise<T>;
  /** Tells the client the program was stepped on: paused where its last pause was (saying why), or running. */
  showStepped(text: string, paused: boolean): void;
  /** Shows a line in the client's debug console. */
  log(text: string): void;
  /** Lets a program the user paused run again, and tells the client. */
  continue(): Promise<void>;
  /** Ends the program. */
  stopProgram(): Promise<void>;
  /** Shows a cancellable progress notification. */
  progress(title: string): Progress;
}

export type CustomRequestHandler = (args: unknown, context: CustomRequestContext) => Promise<unknown>;

export interface TargetInfo {
  pid: number;
  nodeVersion: string;
  inspectorUrl: string;
  state: 'paused' | 'running';
}

async function targetInfo(_args: unknown, context: CustomRequestContext): Promise<TargetInfo> {
  const { result, exceptionDetails } = await context.cdp.send('Runtime.evaluate', {
    expression: callInTarget(processIdentity),
    returnByValue: true,
    silent: true,
  });
  if (exceptionDetails) throw new Error(`cannot read the target's process: ${exceptionDetails.text}`);
  const { pid, nodeVersion } = result.value as { pid: number; nodeVersion: string };
  return {
    pid,
    nodeVersion,
    inspectorUrl: context.inspectorUrl,
    state: context.pausedCallFrames ? 'paused' : 'running',
  };
}

const HANDLERS = new Map<string, CustomRequestHandler>([
  ['ferry/targetInfo', targetInfo],
  ['ferry/checkpoint', checkpoint],
  ['ferry/release', release],
]);

export function isCustomRequest(command: string): boolean {
  return HANDLERS.has(command);
}

export function handleCustomRequest(command: string, args: unknown, context: CustomRequestContext): Promise<unknown> {
  const handler = HANDLERS.get(command);
  if (!handler) return Promise.reject(new Error(`unknown Ferry request "${command}"`));
  return handler(args, context);
}

/** Runs in the target. */
function processIdentity(): { pid: number; nodeVersion: string } {
  return { pid: process.pid, nodeVersion: process.version };
}
