// The "Ferry" output channel, and errors shown the VS Code way: a short notification, the detail
// (stack, the adapter's full message) in the channel behind "Show Details".
import * as vscode from 'vscode';

export class FerryLog implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('Ferry');

  info(text: string): void {
    this.channel.appendLine(`[${new Date().toLocaleTimeString()}] ${text}`);
  }

  /** Logs `error` under `what` and shows its first line as an error notification. */
  async error(what: string, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    this.info(`${what}: ${message}`);
    if (error instanceof Error && error.stack) this.channel.appendLine(error.stack);
    const choice = await vscode.window.showErrorMessage(`Ferry: ${what}: ${message.split('\n')[0]}`, 'Show Details');
    if (choice) this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
