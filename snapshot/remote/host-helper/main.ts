// Ferry's helper on the host (dist/helper.js): run by the host's Node to follow, list and stop runs.
// Dependency-free and CommonJS, Node >= 20, like the restore runtime it ships beside.
//   follow ROOT ID            stream out/err/status as frames until the run exits (wire-protocol.ts)
//   ps ROOT                   one JSON array describing every run
//   inspector ROOT ID         wait for the run's inspector URL on its stderr and print it
//   stop ROOT ID [--remove]   end the run's process group, optionally delete its directory
//   gc ROOT DAYS              delete runs ended DAYS ago, then blobs unused for DAYS (run-control.ts)
//   relay ROOT ID             the host's end of the run's relayed connections, over stdio (relay.ts)
//   connect ROOT PORT         stdio joined to 127.0.0.1:PORT, a forwarded port's connection (connect.ts)
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { followRun } from './follow';
import { describeRun, findRunDir, HelperRefusal } from './run-dir';
import { collectGarbage, stopRun, waitForInspector } from './run-control';
import { relayRun } from './relay';
import { connectPort } from './connect';

const print = (value: unknown) => console.log(typeof value === 'string' ? value : JSON.stringify(value));

function listRuns(root: string): unknown[] {
  const runs = join(root, 'runs');
  return (existsSync(runs) ? readdirSync(runs).sort() : []).map((name) => describeRun(join(runs, name)));
}

async function run([command, root, wanted, flag]: string[]): Promise<void> {
  if (command === 'ps') return print(listRuns(root));
  if (command === 'gc') return print(collectGarbage(root, Number(wanted)));
  if (command === 'relay') return relayRun(root, wanted ?? '');
  if (command === 'connect') return connectPort(Number(wanted));
  const dir = findRunDir(root, wanted ?? '');
  if (command === 'follow') return followRun(dir);
  if (command === 'inspector') return print(await waitForInspector(dir));
  if (command === 'stop') return print(await stopRun(dir, flag === '--remove'));
  throw new HelperRefusal(`unknown helper command ${command}`);
}

run(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof HelperRefusal ? error.message : error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(error instanceof HelperRefusal ? 2 : 1);
});
