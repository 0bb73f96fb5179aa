// Runs attached in the editor that the status bar shows: runs on hosts (with the connections a stub
// here relays to them), and runs resumed here that took their connections from a holder. Also the
// `ferry.remoteRunAttached` context key, and Stop Remote Run (the adapter ends the run on its host).
import * as vscode from 'vscode';
import type { ResumedBody } from '../adapter/restored';
import { DEBUG_TYPE } from './sessions';

export class RemoteRuns implements vscode.Disposable {
  private readonly sessions = new Set<vscode.DebugSession>();
  /** The runs whose connections are on this machine (relayed by a stub, or taken here), by session. */
  private readonly withConnections = new Map<vscode.DebugSession, ResumedBody>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** A run came or went, or its connections did. */
  readonly onDidChange = this.changed.event;
  private readonly item = vscode.window.createStatusBarItem('ferry.remoteRun', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[];
  private shown = false;

  constructor() {
    this.item.name = 'Ferry Runs';
    this.subscriptions = [
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type === DEBUG_TYPE && s.configuration.host) this.sessions.add(s);
        this.update();
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        this.sessions.delete(s);
        this.withConnections.delete(s);
        this.update();
      }),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
        const body = event.body as ResumedBody | undefined;
        if (event.event !== 'ferry/resumed' || !(body?.relay || body?.taken)) return;
        if (body.relay && !this.sessions.has(event.session)) return;
        this.withConnections.set(event.session, body);
        this.update();
      }),
    ];
  }

  /** The run resumed from `checkpoint` whose connections are on this machine, if one is attached. */
  resumedFrom(checkpoint: string): ResumedBody | undefined {
    return [...this.withConnections.values()].find((run) => run.checkpoint === checkpoint);
  }

  /** What the status bar item shows, while it is shown (read by the extension-host tests). */
  get status(): { text: string; tooltip: string } | undefined {
    return this.shown ? { text: this.item.text, tooltip: String(this.item.tooltip) } : undefined;
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
    const remote = this.list();
    void vscode.commands.executeCommand('setContext', 'ferry.remoteRunAttached', remote.length > 0);
    const here = [...this.withConnections].filter(([, run]) => run.taken).map(([session]) => session);
    this.shown = remote.length + here.length > 0;
    if (this.shown) this.show(remote, here);
    else this.item.hide();
    this.changed.fire();
  }

  /** The item for the remote runs and the runs here that kept their connections. */
  private show(remote: vscode.DebugSession[], here: vscode.DebugSession[]): void {
    const runs = [...this.withConnections.values()];
    const relayed = runs.reduce((sum, run) => sum + (run.relay?.connections ?? 0), 0);
    const taken = runs.reduce((sum, run) => sum + (run.taken ?? 0), 0);
    const stubs = runs.flatMap((run) => (run.relay ? [run.relay.stubPid] : [])).join(', ');
    const hosts = [...new Set(remote.map((s) => s.configuration.host as string))].join(', ');
    const shown = remote.length > 0 ? remote : here;
    const name =
      shown.length === 1
        ? shown[0].name.replace(/^Ferry: /, '')
        : `${shown.length} runs${remote.length ? ` on ${hosts}` : ' resumed here'}`;
    this.item.text = `${remote.length ? '$(remote)' : '$(plug)'} Ferry: ${name}${relayed ? ` $(plug) ${relayed} relayed` : ''}${taken ? ` $(plug) ${taken} kept` : ''}`;
    this.item.tooltip = [
      remote.length ? `Ferry runs attached on ${hosts}.` : '',
      relayed ? `${relayed} connection(s) stay on this machine, relayed to them by a stub (pid ${stubs}).` : '',
      taken
        ? `${taken} connection(s) from before the checkpoint kept by ${here.map((s) => s.name).join(', ')}, handed over by their holder.`
        : '',
      remote.length ? 'Click to stop one.' : '',
    ]
      .filter(Boolean)
      .join(' ');
    this.item.command = remote.length ? 'ferry.stopRemoteRun' : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    this.changed.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
