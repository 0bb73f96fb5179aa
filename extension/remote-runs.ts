// Remote runs attached in the editor: a status bar item while any is attached (with the connections
// a stub here relays to it), the `ferry.remoteRunAttached` context key, and Stop Remote Run (the
// adapter ends the run on its host).
import * as vscode from 'vscode';
import type { RelayedConnections } from '../snapshot/remote/restore';
import { DEBUG_TYPE } from './sessions';

/** What the adapter says once a run resumed (`ferry/resumed`). */
interface Resumed {
  checkpoint?: string;
  host?: string;
  relay?: RelayedConnections;
}

export class RemoteRuns implements vscode.Disposable {
  private readonly sessions = new Set<vscode.DebugSession>();
  /** The runs whose connections a stub on this machine relays, by session. */
  private readonly relays = new Map<vscode.DebugSession, Resumed & { relay: RelayedConnections }>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** A run came or went, or its relay did. */
  readonly onDidChange = this.changed.event;
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
        this.relays.delete(s);
        this.update();
      }),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
        const body = event.body as Resumed | undefined;
        if (event.event !== 'ferry/resumed' || !body?.relay || !this.sessions.has(event.session)) return;
        this.relays.set(event.session, { ...body, relay: body.relay });
        this.update();
      }),
    ];
  }

  /** The relay of the run resumed from `checkpoint`, if a stub here relays its connections. */
  relayOf(checkpoint: string): { host?: string; relay: RelayedConnections } | undefined {
    return [...this.relays.values()].find((run) => run.checkpoint === checkpoint);
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
    const relayed = [...this.relays.values()].reduce((sum, run) => sum + run.relay.connections, 0);
    const stubs = [...this.relays.values()].map((run) => run.relay.stubPid).join(', ');
    this.item.text = `$(remote) Ferry: ${sessions.length === 1 ? sessions[0].name.replace(/^Ferry: /, '') : `${sessions.length} runs on ${hosts}`}${relayed ? ` $(plug) ${relayed} relayed` : ''}`;
    this.item.tooltip = `Ferry runs attached on ${hosts}.${relayed ? ` ${relayed} connection(s) stay on this machine, relayed to them by a stub (pid ${stubs}).` : ''} Click to stop one.`;
    this.item.show();
    this.changed.fire();
  }

  dispose(): void {
    this.item.dispose();
    this.changed.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
