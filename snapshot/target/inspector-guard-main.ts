// The guard process (target/inspector-guard.ts), bundled into dist/inspector-guard.js:
//   inspector-guard.js PID START_TIME PORTS
// Waits for its command's word; when the pipe closes without it, closes the inspector the command
// opened in process PID (the same process: START_TIME) on one of PORTS, once it is open.
import { askToClose, isRunning } from './claim';
import { findInspectorUrl } from './attach';
import { CdpConnection } from '../cdp/connection';
import { DISARM } from './inspector-guard';

/** How long an inspector may take to open after the signal (the command waits as long at most). */
const OPEN_DEADLINE_MS = 15_000;
const POLL_MS = 20;

/** Resolves true when the command disarms the guard, false when its pipe closes without a word. */
function commandLetGo(): Promise<boolean> {
  return new Promise((resolve) => {
    let said = '';
    process.stdin.setEncoding('latin1');
    process.stdin.on('data', (chunk: string) => {
      said += chunk;
      if (said.includes(DISARM)) resolve(true);
    });
    for (const event of ['end', 'close', 'error']) process.stdin.on(event, () => resolve(said.includes(DISARM)));
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Asks the inspector of PID to close once it is open on one of `ports`. The target closes it when
 * it next gets to its event loop (askToClose), so one answered request is enough.
 */
async function closeInspector(pid: number, startTime: string, ports: number[]): Promise<void> {
  const deadline = Date.now() + OPEN_DEADLINE_MS;
  while (Date.now() < deadline && isRunning(pid, startTime)) {
    const url = await findInspectorUrl(pid, ports);
    if (url && (await askToCloseAt(url))) return;
    await pause(POLL_MS);
  }
}

async function askToCloseAt(url: string): Promise<boolean> {
  try {
    const cdp = await CdpConnection.connect(url);
    await askToClose(cdp);
    await cdp.close();
    return true;
  } catch {
    return false; // not answering yet: asked again on the next round
  }
}

async function main(): Promise<void> {
  const [pid, startTime, ports] = process.argv.slice(2);
  if (!(await commandLetGo())) await closeInspector(Number(pid), startTime, ports.split(',').map(Number));
  process.exit(0);
}

void main();
