// Lists running Node processes for the "Ferry: Pick Node Process" picker (no vscode import, so
// it is testable outside VS Code).
import { execFile } from 'node:child_process';
import { basename } from 'node:path';

export interface NodeProcess {
  pid: number;
  /** The full command line. */
  command: string;
  /** The script it runs (first argument that is not a flag), or the command itself. */
  label: string;
}

/** Node processes of this machine, except `excludePid` (the caller itself). */
export function listNodeProcesses(excludePid = process.pid): Promise<NodeProcess[]> {
  return new Promise((resolve, reject) => {
    execFile('ps', ['-axo', 'pid=,args='], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error) return reject(new Error(`cannot list processes: ${error.message}`));
      resolve(parseProcessList(stdout).filter((p) => p.pid !== excludePid));
    });
  });
}

export function parseProcessList(psOutput: string): NodeProcess[] {
  const found: NodeProcess[] = [];
  for (const line of psOutput.split('\n')) {
    const match = /^\s*(\d+)\s+(.+)$/.exec(line);
    if (!match) continue;
    const [executable, ...args] = match[2].trim().split(/\s+/);
    if (!/^node(js)?(\.exe)?$|^node\d+$/.test(basename(executable))) continue;
    const script = args.find((a) => !a.startsWith('-'));
    found.push({
      pid: Number(match[1]),
      command: match[2].trim(),
      label: script ? basename(script) : basename(executable),
    });
  }
  return found;
}
