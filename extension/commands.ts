// The Ferry commands (palette, debug toolbar, context menus, Checkpoints view). Each one resolves
// what it acts on (session, checkpoint file, host), runs, and reports errors through FerryLog.
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import type { CheckpointWritten } from '../adapter/checkpoint';
import { listCheckpoints, programName, summarize, type CheckpointSummary } from './checkpoint-files';
import type { HostPicker } from './host-picker';
import type { FerryLog } from './log';
import { handOver } from './migration';
import type { RemoteRuns } from './remote-runs';
import { checkpointDirectory, defaultHost } from './settings';
import { activeFerrySession, openConfiguration, resumeConfiguration } from './sessions';
import { filesChangedSinceCheckpoint } from '../snapshot/restore/restore';
import { checkpointKey } from '../snapshot/format/key';
import { releaseHeld } from '../snapshot/connections/handover';

/** A checkpoint as commands receive it: a file Uri (explorer, view item), a view element, or nothing (palette). */
type CheckpointArgument = vscode.Uri | CheckpointSummary | undefined;

export class Commands {
  constructor(
    private readonly log: FerryLog,
    private readonly hosts: HostPicker,
    private readonly remoteRuns: RemoteRuns,
    private readonly extensionPath: string,
  ) {}

  register(): vscode.Disposable[] {
    const commands: Record<string, (...args: never[]) => Promise<unknown>> = {
      'ferry.checkpointHere': () => this.checkpoint('here'),
      'ferry.checkpointIdle': () => this.checkpoint('idle'),
      'ferry.checkpointAndStop': () => this.checkpointAndStop(),
      'ferry.resumeLocally': (arg?: CheckpointArgument) => this.resume(arg, false),
      'ferry.resumeOnRemote': (arg?: CheckpointArgument) => this.resume(arg, true),
      'ferry.migrateToRemote': () => this.migrate(false),
      'ferry.cloneToRemote': () => this.migrate(true),
      'ferry.openCheckpoint': (arg?: CheckpointArgument) => this.open(arg),
      'ferry.stopRemoteRun': () => this.remoteRuns.stop(),
      'ferry.revealCheckpoint': (arg?: CheckpointArgument) => this.reveal(arg),
      'ferry.deleteCheckpoint': (arg?: CheckpointArgument) => this.delete(arg),
      'ferry.releaseConnections': (arg?: CheckpointArgument) => this.releaseConnections(arg),
      'ferry.openSample': () => this.openSample(),
    };
    return Object.entries(commands).map(([id, run]) =>
      // VS Code passes what the command's caller gave (a tree item, a URI, nothing): each handler sorts it out.
      vscode.commands.registerCommand(id, (...args: unknown[]) =>
        run(...(args as never[])).catch((error) => this.log.error(titleOf(id), error)),
      ),
    );
  }

  /** A Checkpoint and Migrate breakpoint was hit in `session`. */
  async migrateRequested(session: vscode.DebugSession): Promise<void> {
    const host = defaultHost() ?? (await this.hosts.pick('Ferry: Checkpoint and Migrate — to which host?'));
    try {
      if (!host) throw new Error('no host chosen (set ferry.defaultHost to skip this question)');
      await this.withProgress(`Ferry: moving the program to ${host}`, (token) =>
        handOver(session, { host, clone: false, at: 'here' }, token),
      );
    } catch (error) {
      // The program waits, invisibly paused at the breakpoint: let it go on.
      await Promise.resolve(session.customRequest('continue', { threadId: 1 })).catch(() => undefined);
      await this.log.error('Checkpoint and Migrate', error);
    }
  }

  private async checkpoint(at: 'idle' | 'here', then?: 'stop', session = activeFerrySession()): Promise<void> {
    // The adapter reports the capture's progress itself (a cancellable notification).
    const written = (await session.customRequest('ferry/checkpoint', { at, then })) as CheckpointWritten;
    this.announce(written);
  }

  /**
   * `ferry checkpoint --then stop`: here where the program is paused (else at its next idle point),
   * then the program is ended, its connections kept by a holder for Resume Locally (or relayed by
   * it to a Resume on Remote).
   */
  private checkpointAndStop(): Promise<void> {
    const session = activeFerrySession();
    const focused = vscode.debug.activeStackItem;
    const paused = focused instanceof vscode.DebugStackFrame && focused.session.id === session.id;
    return this.checkpoint(paused ? 'here' : 'idle', 'stop', session);
  }

  /** Says a checkpoint was written, and offers what to do with it; the Checkpoints view shows it. */
  announce(written: CheckpointWritten): void {
    void vscode.commands.executeCommand('ferry.refreshCheckpoints');
    const stopped = written.programState === 'stopped' ? ', the program ended' : '';
    this.log.info(
      `checkpoint written: ${written.path} (${written.objects} objects, program stopped ${written.pauseMs} ms${stopped})`,
    );
    void vscode.window
      .showInformationMessage(
        `Ferry: checkpoint written: ${basename(written.path)}${stopped}`,
        'Resume Locally',
        'Resume on Remote…',
        'Reveal',
      )
      .then((choice) => {
        const uri = vscode.Uri.file(written.path);
        if (choice === 'Resume Locally') void vscode.commands.executeCommand('ferry.resumeLocally', uri);
        else if (choice === 'Resume on Remote…') void vscode.commands.executeCommand('ferry.resumeOnRemote', uri);
        else if (choice === 'Reveal') void vscode.commands.executeCommand('ferry.revealCheckpoint', uri);
      });
  }

  private async resume(arg: CheckpointArgument, remote: boolean): Promise<void> {
    const file = await this.checkpointFile(arg, remote ? 'Resume on Remote' : 'Resume Locally');
    if (!file) return;
    const host = remote ? await this.hosts.pick(`Ferry: resume ${basename(file)} on…`) : undefined;
    if (remote && !host) return;
    const overwrite = host ? false : await this.confirmOverwrite(file);
    if (overwrite === undefined) return;
    this.log.info(
      `resuming ${file}${host ? ` on ${host}` : ' locally'}${overwrite ? ' (putting back its copies of changed files)' : ''}`,
    );
    // The new session shows the restore's progress and, if it fails, its error.
    const started = await vscode.debug.startDebugging(
      vscode.workspace.workspaceFolders?.[0],
      resumeConfiguration(file, host, overwrite),
    );
    if (!started) this.log.info(`resuming ${file} did not start`);
  }

  /**
   * A resume here refuses to write into files the program changed since the checkpoint (a run that
   * went on after it): ask whether to put the checkpoint's copies back. Undefined: the user declined.
   */
  private async confirmOverwrite(file: string): Promise<boolean | undefined> {
    let changed: string[];
    try {
      changed = filesChangedSinceCheckpoint(file, { hmacKey: checkpointKey() }).map((c) => `${c.path} ${c.how}`);
    } catch {
      return false; // the resume itself reports what is wrong with the file
    }
    if (changed.length === 0) return false;
    const choice = await vscode.window.showWarningMessage(
      `The program's files changed since this checkpoint: ${changed.join(', ')}. Resuming puts the checkpoint's copies back, replacing what is there now.`,
      { modal: true },
      'Put Back and Resume',
    );
    return choice === 'Put Back and Resume' ? true : undefined;
  }

  private async migrate(clone: boolean): Promise<void> {
    const session = activeFerrySession();
    const verb = clone ? 'Clone' : 'Migrate';
    const host = await this.hosts.pick(`Ferry: ${verb} the program to…`);
    if (!host) return;
    const written = await this.withProgress(
      `Ferry: ${clone ? 'cloning' : 'moving'} ${session.name} to ${host}`,
      (token) => handOver(session, { host, clone, at: 'idle' }, token),
    );
    this.log.info(`${clone ? 'cloned' : 'moved'} to ${host} from ${written.path}`);
    void vscode.window.showInformationMessage(
      `Ferry: ${clone ? 'cloned' : 'moved'} to ${host}${clone ? ' (the original goes on)' : ''}.`,
    );
  }

  private async open(arg: CheckpointArgument): Promise<void> {
    const file = await this.checkpointFile(arg, 'Open Checkpoint');
    if (file) await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], openConfiguration(file));
  }

  private async reveal(arg: CheckpointArgument): Promise<void> {
    const file = await this.checkpointFile(arg, 'Reveal Checkpoint');
    if (file) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(file));
  }

  private async delete(arg: CheckpointArgument): Promise<void> {
    const file = await this.checkpointFile(arg, 'Delete Checkpoint');
    if (!file) return;
    const choice = await vscode.window.showWarningMessage(
      `Delete the checkpoint ${basename(file)}?`,
      { modal: true },
      'Delete',
    );
    if (choice !== 'Delete') return;
    rmSync(file, { force: true });
    this.log.info(`deleted ${file}`);
  }

  /**
   * The holder a Checkpoint and Stop left with the program's connections closes them and ends
   * (`ferry release`): for a checkpoint no one will resume, whose peers and ports it would keep.
   */
  private async releaseConnections(arg: CheckpointArgument): Promise<void> {
    const file = await this.checkpointFile(arg, 'Release Held Connections');
    if (!file) return;
    const { manifest, error } = summarize(file);
    if (!manifest) throw new Error(`cannot read ${file}: ${error}`);
    const released = await releaseHeld(manifest.handles.connections);
    void vscode.commands.executeCommand('ferry.refreshCheckpoints');
    const text = released
      ? `released ${released.count} connection(s) of ${basename(file)}: their holder (pid ${released.pid}) closed them, and a resume gets them closed`
      : `no holder keeps connections of ${basename(file)} on this machine: nothing to release`;
    this.log.info(text);
    void vscode.window.showInformationMessage(`Ferry: ${text}`);
  }

  /** Copies the bundled sample job into the workspace (it writes a report file next to itself) and opens it. */
  private async openSample(): Promise<void> {
    const bundled = join(this.extensionPath, 'examples', 'sample', 'job.js');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    let file = bundled;
    if (folder) {
      file = join(folder, 'ferry-sample', 'job.js');
      if (!existsSync(file)) {
        mkdirSync(join(folder, 'ferry-sample'), { recursive: true });
        copyFileSync(bundled, file);
      }
    }
    await vscode.window.showTextDocument(vscode.Uri.file(file));
  }

  /** The checkpoint file a command acts on: its argument, or one picked from the checkpoint folder (or browsed to). */
  private async checkpointFile(arg: CheckpointArgument, title: string): Promise<string | undefined> {
    if (arg instanceof vscode.Uri) return arg.fsPath;
    if (arg?.path) return arg.path;
    const dir = checkpointDirectory();
    const items: Array<vscode.QuickPickItem & { path?: string }> = (dir ? listCheckpoints(dir) : []).map((c) => ({
      label: programName(c),
      description: c.manifest
        ? `${c.manifest.kind} · ${new Date(c.manifest.createdAt).toLocaleString()} · ${c.manifest.originHost}`
        : c.error,
      detail: c.path,
      path: c.path,
    }));
    items.push({ label: '$(folder-opened) Browse…' });
    const picked = await vscode.window.showQuickPick(items, {
      title: `Ferry: ${title}`,
      placeHolder: 'Pick a checkpoint',
    });
    if (!picked) return undefined;
    if (picked.path) return picked.path;
    const chosen = await vscode.window.showOpenDialog({
      title: `Ferry: ${title}`,
      filters: { 'Ferry checkpoints': ['ferry'] },
      defaultUri: dir ? vscode.Uri.file(dir) : undefined,
    });
    return chosen?.[0]?.fsPath;
  }

  private withProgress<T>(title: string, work: (token: vscode.CancellationToken) => Promise<T>): Promise<T> {
    return Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        (_, token) => work(token),
      ),
    );
  }
}

function titleOf(command: string): string {
  return command
    .replace(/^ferry\./, '')
    .replace(/([A-Z])/g, ' $1')
    .toLowerCase();
}
