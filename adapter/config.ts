// Launch and attach arguments of the `ferry` debug type (package.json contributes.debuggers
// describes the same attributes for the editor).
import type { DebugProtocol } from '@vscode/debugprotocol';

interface CommonArguments {
  /** Log every DAP message to the debug console. */
  trace?: boolean;
  /** Milliseconds to wait for the target's inspector before giving up. */
  timeout?: number;
  /** Pause at the first line of the program. */
  stopOnEntry?: boolean;
  /** Where checkpoints go when no file is named (Checkpoint breakpoints); default `.ferry/` in cwd. */
  checkpointDirectory?: string;
  /** Checkpoint Here only where the program is paused: refuse there, never step on to the nearest point Ferry can resume. */
  exactCheckpoint?: boolean;
}

export interface LaunchArguments extends DebugProtocol.LaunchRequestArguments, CommonArguments {
  /** The script to run; not used when `checkpoint` is given. */
  program?: string;
  /** Resume this `.ferry` checkpoint instead of starting a program (Resume Locally / on Remote). */
  checkpoint?: string;
  /** With `checkpoint`, here: put back the checkpoint's copies of the program's files that changed since (else refused). */
  overwrite?: boolean;
  /** With `checkpoint`: resume it on this SSH host (an ssh_config alias or user@host) instead of here. */
  host?: string;
  /** Another ssh_config file for `host` (ssh -F). */
  sshConfigFile?: string;
  /** With `checkpoint` and `host`: run it in this directory on the host, the paths it holds rewritten (default: where it ran). */
  hostCwd?: string;
  args?: string[];
  cwd?: string;
  /** Added to the adapter's environment; null removes a variable. */
  env?: Record<string, string | null>;
  runtimeExecutable?: string;
  runtimeArgs?: string[];
  console?: 'internalConsole' | 'integratedTerminal';
  /**
   * Where the Debug Console's program output comes from: 'console' shows console.* calls with
   * their source location (writes straight to process.stdout are not shown); 'std' shows the raw
   * stdout/stderr of the program instead.
   */
  outputCapture?: 'console' | 'std';
}

export interface AttachArguments extends DebugProtocol.AttachRequestArguments, CommonArguments {
  port?: number;
  address?: string;
  websocketUrl?: string;
  /** Attach to a running Node process; its inspector is opened with SIGUSR1 if needed. */
  processId?: number | string;
}
