// Run in the editor's terminal in front of a restore (dist/terminal-handover.js). The editor starts
// a process in its terminal itself, so the debug adapter cannot hand it descriptors; this launcher,
// that process, takes what Resume Locally hands over (restore-handover.ts: the program's held files
// at their numbers, and the channel to the holder of its connections, asked with the holder's key
// as its owner on this machine may) and starts the restore with them, in the same terminal.
//
//   node terminal-handover.js -- NODE [FLAGS] restore.js CHECKPOINT [ARGS]
//
// FERRY_TERMINAL_HANDOVER names a 0600 file in the adapter's private launch directory with the
// checkpoint's manifest, which the adapter verified; this removes it, and writes beside it how many
// connections it took, or why it could not start the restore (terminalHandoverReport), for the
// adapter to report at once.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { TERMINAL_HANDOVER_ENV } from '../format/ferry-env';
import type { StoredManifest } from '../format/manifest';
import { restoreHandover, terminalHandoverReport } from './restore-handover';

async function main(argv: string[], file: string): Promise<void> {
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as StoredManifest;
  rmSync(file, { force: true });
  const handover = await restoreHandover(manifest);
  writeFileSync(terminalHandoverReport(file).taken, String(handover.connections), { mode: 0o600 });
  const [command, ...args] = argv.slice(1);
  const restore = spawn(command, [...args, ...handover.runtimeArgs], {
    stdio: ['inherit', 'inherit', 'inherit', ...handover.extraStdio],
    env: { ...process.env, ...handover.env },
  });
  handover.close(); // the restore has its own copies
  // Ctrl-C in the terminal reaches the restore itself (the same process group): it decides.
  process.on('SIGINT', () => undefined);
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, () => restore.kill(signal));
  restore.on('error', (error) => fail(`cannot start ${command}: ${error.message}`, file));
  restore.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
}

/** Says why in the terminal, and to the adapter (which waits for the restore's inspector otherwise). */
function fail(message: string, file?: string): never {
  const text = `ferry: ${message.replace(/^ferry: /, '')}`;
  process.stderr.write(`${text}\n`);
  try {
    if (file) writeFileSync(terminalHandoverReport(file).failed, text, { mode: 0o600 });
  } catch {
    // the adapter gave up waiting and removed its directory: the terminal shows it
  }
  process.exit(1);
}

const handoverFile = process.env[TERMINAL_HANDOVER_ENV];
// Neither the restore nor the program sees it.
delete process.env[TERMINAL_HANDOVER_ENV];
const argv = process.argv.slice(2);
if (argv[0] !== '--' || argv.length < 2 || !handoverFile)
  fail('usage: FERRY_TERMINAL_HANDOVER=FILE node terminal-handover.js -- COMMAND...');
main(argv, handoverFile).catch((error: Error) => fail(error.message, handoverFile));
