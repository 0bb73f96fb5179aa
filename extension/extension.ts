// The VS Code side of Ferry's debugger: the `ferry` debug type runs dist/adapter.js as a separate
// process, the process picker feeds `${command:PickProcess}` in attach configurations, and the
// configuration provider fills in defaults (F5 with no launch.json debugs the current file).
import * as vscode from 'vscode';
import { listNodeProcesses } from './processes';

const DEBUG_TYPE = 'ferry';

export function activate(context: vscode.ExtensionContext): void {
  const adapter = context.asAbsolutePath('dist/adapter.js');
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, {
      // VS Code's own executable runs plain Node scripts with ELECTRON_RUN_AS_NODE (code-server's is Node already).
      createDebugAdapterDescriptor: () => new vscode.DebugAdapterExecutable(process.execPath, [adapter], { env: { ELECTRON_RUN_AS_NODE: '1' } }),
    }),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new ConfigurationProvider()),
    vscode.commands.registerCommand('ferry.pickNodeProcess', pickNodeProcess),
  );
}

export function deactivate(): void {}

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    if (!config.type && !config.request && !config.name) {
      // F5 without a launch.json: debug the file in the editor.
      const file = vscode.window.activeTextEditor?.document;
      if (!file || !['javascript', 'typescript'].includes(file.languageId)) {
        void vscode.window.showErrorMessage('Ferry: open a JavaScript file to debug, or add a launch configuration.');
        return undefined;
      }
      Object.assign(config, { type: DEBUG_TYPE, request: 'launch', name: 'Ferry: Launch Current File', program: file.uri.fsPath });
    }
    if (config.request === 'launch') {
      if (!config.program) {
        void vscode.window.showErrorMessage('Ferry: the launch configuration needs a "program".');
        return undefined;
      }
      config.cwd ??= folder?.uri.fsPath;
    }
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
