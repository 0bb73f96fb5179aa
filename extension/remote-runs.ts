// Remote runs attached in the editor: a status bar item while any is attached, the
// `ferry.remoteRunAttached` context key, and Stop Remote Run (the adapter ends the run on its host).
import * as vscode from 'vscode';
import { DEBUG_TYPE } from './sessions';

export class RemoteRuns implements vscode.Disposable {
  private readonly sessions = new Set<vscode.DebugSession>();
  private readonly item = vscode.window.createStatusBarItem('ferry.remoteRun', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.item.name = 'Ferry Remote Run';
    this.item.command = 'ferry.stopRemoteRun';
    this.subscriptions = [
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type === DEBUG_TYPE && s.configuration.host) this.sessions.add(s);
        this.update();
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        this.sessions.delete(s);
        this.update();
      }),
    ];
  }

  list(): vscode.DebugSession[] {
    return [...this.sessions];
  }

  async stop(): Promise<void> {
    const sessions = this.list();
    if (sessions.length === 0) {
      void vscode.window.showInformationMessage('Ferry: no remote run is attached.');
      return;
    }
    const picked =
      sessions.length === 1
        ? sessions[0]
        : (
            await vscode.window.showQuickPick(
              sessions.map((session) => ({
                label: session.name,
                description: session.configuration.host as string,
                session,
              })),
              { title: 'Ferry: Stop Remote Run', placeHolder: 'Which remote run to end' },
            )
          )?.session;
    if (picked) await vscode.debug.stopDebugging(picked);
  }

  private update(): void {
    const sessions = this.list();
    void vscode.commands.executeCommand('setContext', 'ferry.remoteRunAttached', sessions.length > 0);
    if (sessions.length === 0) {
      this.item.hide();
      return;
    }
    const hosts = [...new Set(sessions.map((s) => s.configuration.host as string))].join(', ');
    this.item.text = `$(remote) Ferry: ${sessions.length === 1 ? sessions[0].name.replace(/^Ferry: /, '') : `${sessions.length} runs on ${hosts}`}`;
    this.item.tooltip = `Ferry runs attached on ${hosts}. Click to stop one.`;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
