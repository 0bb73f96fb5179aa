// Activation: the `ferry` debug type (dist/adapter.js as a separate process), the read-only
// `ferry-checkpoint` type (in-process: no program runs), the configuration provider, the commands,
// the Checkpoints view, remote-run tracking, and the adapter's custom events.
import * as vscode from 'vscode';
import type { CheckpointWritten } from '../adapter/checkpoint';
import { CheckpointSession } from '../adapter/offline/session';
import { CheckpointsView, VIEW_ID } from './checkpoints-view';
import { Commands } from './commands';
import { HostPicker } from './host-picker';
import { FerryLog } from './log';
import { listNodeProcesses } from './processes';
import { RemoteRuns } from './remote-runs';
import { CHECKPOINT_DEBUG_TYPE, DEBUG_TYPE } from './sessions';
import { checkpointDirectory } from './settings';

/** What activation returns: the parts the extension-host tests look into. */
export interface FerryApi {
  checkpointsView: CheckpointsView;
  hostPicker: HostPicker;
  /** The runs the status bar shows, and what it shows of them. */
  runs: RemoteRuns;
}

export function activate(context: vscode.ExtensionContext): FerryApi {
  const adapter = context.asAbsolutePath('dist/adapter.js');
  const log = new FerryLog();
  const remoteRuns = new RemoteRuns();
  const view = new CheckpointsView(remoteRuns);
  const hostPicker = new HostPicker(context.globalState);
  const commands = new Commands(log, hostPicker, remoteRuns, context.extensionPath);
  context.subscriptions.push(
    log,
    view,
    remoteRuns,
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, {
      // VS Code's own executable runs plain Node scripts with ELECTRON_RUN_AS_NODE (code-server's is Node already).
      createDebugAdapterDescriptor: () =>
        new vscode.DebugAdapterExecutable(process.execPath, [adapter], { env: { ELECTRON_RUN_AS_NODE: '1' } }),
    }),
    vscode.debug.registerDebugAdapterDescriptorFactory(CHECKPOINT_DEBUG_TYPE, {
      createDebugAdapterDescriptor: () => new vscode.DebugAdapterInlineImplementation(new CheckpointSession()),
    }),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new ConfigurationProvider()),
    vscode.commands.registerCommand('ferry.pickNodeProcess', pickNodeProcess),
    vscode.commands.registerCommand('ferry.refreshCheckpoints', () => view.refresh()),
    vscode.window.createTreeView(VIEW_ID, { treeDataProvider: view, showCollapseAll: false }),
    ...commands.register(),
    vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
      if (event.event === 'ferry/checkpointWritten') {
        commands.announce(event.body as CheckpointWritten);
      } else if (event.event === 'ferry/checkpointFailed') {
        void log.error('Checkpoint breakpoint', new Error((event.body as { message: string }).message));
      } else if (event.event === 'ferry/migrateRequested') {
        void commands.migrateRequested(event.session);
      }
    }),
  );
  return { checkpointsView: view, hostPicker, runs: remoteRuns };
}

export function deactivate(): void {}

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  resolveDebugConfiguration(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): vscode.DebugConfiguration | undefined {
    if (!config.type && !config.request && !config.name) {
      // F5 without a launch.json: debug the file in the editor.
      const file = vscode.window.activeTextEditor?.document;
      if (!file || !['javascript', 'typescript'].includes(file.languageId)) {
        void vscode.window.showErrorMessage('Ferry: open a JavaScript file to debug, or add a launch configuration.');
        return undefined;
      }
      Object.assign(config, {
        type: DEBUG_TYPE,
        request: 'launch',
        name: 'Ferry: Launch Current File',
        program: file.uri.fsPath,
      });
    }
    if (config.request === 'launch') {
      if (!config.program && !config.checkpoint) {
        void vscode.window.showErrorMessage(
          'Ferry: the launch configuration needs a "program" (or a "checkpoint" to resume).',
        );
        return undefined;
      }
      config.cwd ??= folder?.uri.fsPath;
    }
    // Checkpoint breakpoints write where the Checkpoints view looks.
    config.checkpointDirectory ??= checkpointDirectory();
    return config;
  }
}

/** Quick pick of running Node processes; resolves to the chosen pid (as text, for `${command:PickProcess}`). */
async function pickNodeProcess(): Promise<string | undefined> {
  const processes = await listNodeProcesses();
  const picked = await vscode.window.showQuickPick(
    processes.map((p) => ({ label: p.label, description: `pid ${p.pid}`, detail: p.command, pid: p.pid })),
    { placeHolder: 'Pick the Node process to attach to', matchOnDescription: true, matchOnDetail: true },
  );
  return picked ? String(picked.pid) : undefined;
}
