// A host picker like Remote-SSH's: recent hosts first, then the hosts of the SSH config file
// (`ferry.sshConfigFile`), then "Enter user@host…" (which also takes a container: docker://NAME,
// podman://NAME, exec:PREFIX) and "Open SSH Configuration File…".
import * as vscode from 'vscode';
import { sshConfigFileToRead } from './settings';
import { isHostSpec, readSshHosts } from './ssh-config';

const RECENT_KEY = 'ferry.recentHosts';
const RECENT_LIMIT = 5;

type HostItem = vscode.QuickPickItem & { host?: string; action?: 'enter' | 'openConfig' };

export class HostPicker {
  constructor(private readonly memento: vscode.Memento) {}

  recent(): string[] {
    return this.memento.get<string[]>(RECENT_KEY, []);
  }

  async remember(host: string): Promise<void> {
    await this.memento.update(RECENT_KEY, [host, ...this.recent().filter((h) => h !== host)].slice(0, RECENT_LIMIT));
  }

  items(): HostItem[] {
    const file = sshConfigFileToRead();
    const configured = readSshHosts(file);
    const recent = this.recent();
    const items: HostItem[] = [];
    if (recent.length) items.push({ label: 'recently used', kind: vscode.QuickPickItemKind.Separator });
    for (const host of recent) items.push({ label: `$(history) ${host}`, host });
    if (configured.length) items.push({ label: file, kind: vscode.QuickPickItemKind.Separator });
    for (const entry of configured.filter((e) => !recent.includes(e.alias))) {
      const target = entry.hostName ? `${entry.user ? `${entry.user}@` : ''}${entry.hostName}` : undefined;
      items.push({ label: `$(remote) ${entry.alias}`, description: target, host: entry.alias });
    }
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
    items.push({ label: '$(plus) Enter user@host…', action: 'enter', alwaysShow: true });
    items.push({
      label: '$(gear) Open SSH Configuration File…',
      description: file,
      action: 'openConfig',
      alwaysShow: true,
    });
    return items;
  }

  /** Asks for a host; undefined when the user gives up. */
  async pick(title: string): Promise<string | undefined> {
    const picked = await vscode.window.showQuickPick(this.items(), {
      title,
      placeHolder: 'Select a host from your SSH config, or enter user@host',
      matchOnDescription: true,
    });
    if (!picked) return undefined;
    if (picked.action === 'openConfig') {
      await vscode.window.showTextDocument(vscode.Uri.file(sshConfigFileToRead()));
      return undefined;
    }
    const host =
      picked.host ??
      (
        await vscode.window.showInputBox({
          title,
          prompt: 'The SSH host to use, as you would give it to ssh, or a container',
          placeHolder: 'user@host, user@host:port, docker://NAME, podman://NAME or exec:PREFIX',
          validateInput: (text) =>
            isHostSpec(text)
              ? undefined
              : 'Enter a host (name, user@host or user@host:port) or a container (docker://NAME, podman://NAME, exec:PREFIX)',
        })
      )?.trim();
    if (host) await this.remember(host);
    return host;
  }
}
