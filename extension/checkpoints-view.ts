// The Checkpoints view (Run and Debug container): the `.ferry` files of `ferry.checkpointDirectory`,
// newest first, each with program, time, kind, size and origin host, and its connections: held here
// by their holder (which Release Held Connections closes), relayed to a run resumed from it on a
// host, or taken by a run resumed from it here; refreshed when files change and when runs come and go.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { formatBytes } from '../snapshot/bytes';
import { describeConnection } from '../snapshot/format/connections';
import type { ResumedBody } from '../adapter/restored';
import type { RemoteRuns } from './remote-runs';
import { listCheckpoints, programName, withHolders, type CheckpointSummary } from './checkpoint-files';
import { checkpointDirectory } from './settings';

export const VIEW_ID = 'ferry.checkpoints';

export class CheckpointsView implements vscode.TreeDataProvider<CheckpointSummary>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private watcher?: vscode.FileSystemWatcher;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly remoteRuns: RemoteRuns) {
    this.watch();
    this.subscriptions.push(
      remoteRuns.onDidChange(() => this.refresh()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('ferry.checkpointDirectory')) {
          this.watch();
          this.refresh();
        }
      }),
    );
  }

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(element?: CheckpointSummary): Promise<CheckpointSummary[]> {
    const dir = checkpointDirectory();
    return element || !dir ? [] : withHolders(listCheckpoints(dir));
  }

  getTreeItem(summary: CheckpointSummary): vscode.TreeItem {
    const item = new vscode.TreeItem(programName(summary), vscode.TreeItemCollapsibleState.None);
    item.resourceUri = vscode.Uri.file(summary.path);
    const m = summary.manifest;
    if (!m) {
      item.contextValue = 'ferryCheckpointDamaged';
      item.description = `unreadable · ${formatBytes(summary.bytes)}`;
      item.tooltip = `${summary.path}\n${summary.error}`;
      item.iconPath = new vscode.ThemeIcon('warning');
      return item;
    }
    const taken = new Date(m.createdAt);
    const where = whereConnectionsAre(summary, this.remoteRuns.resumedFrom(summary.path));
    item.contextValue = where?.waiting ? 'ferryCheckpoint.held' : 'ferryCheckpoint'; // .held: Release Held Connections applies
    // Where its connections are comes right after the kind: a narrow view cuts the end off.
    item.description = [m.kind, where?.short, taken.toLocaleString(), formatBytes(summary.bytes), m.originHost]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = new vscode.ThemeIcon(m.kind === 'here' ? 'debug-breakpoint-log' : 'save');
    item.tooltip = new vscode.MarkdownString(
      [
        `**${programName(summary)}** — ${m.kind === 'here' ? 'checkpoint here (with its stack)' : 'checkpoint at idle'}`,
        '',
        `- taken ${taken.toLocaleString()} on \`${m.originHost}\` (pid ${m.program.pid})`,
        `- Node ${m.node.version} ${m.node.platform}-${m.node.arch}`,
        `- ${m.heap.objects} objects, ${m.heap.functions} functions, ${formatBytes(summary.bytes)}`,
        `- ${basename(summary.path)}`,
        ...(m.handles.connections?.sockets ?? []).map((c) => `- connection ${describeConnection(c)}`),
        ...(where ? [`- ${where.long}`] : []),
      ].join('\n'),
    );
    item.command = { command: 'ferry.openCheckpoint', title: 'Open Checkpoint', arguments: [item.resourceUri] };
    return item;
  }

  private watch(): void {
    this.watcher?.dispose();
    const dir = checkpointDirectory();
    if (!dir) return;
    this.watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.file(dir), '*.ferry'),
    );
    for (const on of [this.watcher.onDidCreate, this.watcher.onDidChange, this.watcher.onDidDelete])
      on(() => this.refresh(), undefined, this.subscriptions);
  }

  dispose(): void {
    this.watcher?.dispose();
    this.changed.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

/**
 * Where a checkpoint's connections are now, if on this machine: relayed by a stub to the run
 * resumed from it on a host, taken by the run resumed from it here, or kept by their holder until
 * a resume (after a checkpoint that stopped the program).
 */
function whereConnectionsAre(
  summary: CheckpointSummary,
  run: ResumedBody | undefined,
): { short: string; long: string; waiting?: true } | undefined {
  if (run?.relay)
    return {
      short: `${run.relay.connections} connection(s) relayed to ${run.host}`,
      long: `relayed to \`${run.host}\` by a stub on this machine (pid ${run.relay.stubPid})`,
    };
  if (run?.taken)
    return {
      short: `${run.taken} connection(s) kept by its run here`,
      long: `handed by their holder to the run resumed from it here`,
    };
  if (summary.held?.relaying)
    return {
      short: `${summary.held.count} connection(s) relayed to a host`,
      long: `relayed to a run on a host by a stub on this machine (pid ${summary.held.pid}); stopping that run ends it`,
    };
  // Its holder waits for a resume (one that is taking them already is reported by the run, above).
  if (summary.held)
    return {
      waiting: true,
      short: `${summary.held.count} connection(s) held here`,
      long: `held on this machine by a holder (pid ${summary.held.pid}) until it is resumed: Resume Locally takes them, Resume on Remote has them relayed, Release Held Connections closes them`,
    };
  return undefined;
}
