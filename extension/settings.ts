// Ferry's settings (package.json contributes.configuration describes them for the editor).
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { defaultSshConfigFile } from './ssh-config';

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('ferry');
}

/** The folder of checkpoint files: `ferry.checkpointDirectory`, relative to the first workspace folder. */
export function checkpointDirectory(): string | undefined {
  const setting = config().get<string>('checkpointDirectory') || '.ferry';
  if (isAbsolute(setting)) return setting;
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder && join(folder.uri.fsPath, setting);
}

/** `ferry.sshConfigFile`, or undefined for ssh's own default. */
export function sshConfigFile(): string | undefined {
  return config().get<string>('sshConfigFile') || undefined;
}

/** The file the host picker lists hosts from. */
export function sshConfigFileToRead(): string {
  return sshConfigFile() ?? defaultSshConfigFile();
}

/** `ferry.hostWorkingDirectory`: where a program resumed or moved on a host runs there; undefined: at its own path. */
export function hostWorkingDirectory(): string | undefined {
  return config().get<string>('hostWorkingDirectory') || undefined;
}

/** The host "Checkpoint and Migrate" breakpoints hand over to; empty: ask. */
export function defaultHost(): string | undefined {
  return config().get<string>('defaultHost') || undefined;
}
