// Run in the editor's terminal in front of a restore (dist/terminal-handover.js). The editor starts
// a process in its terminal itself, so the debug adapter cannot hand it descriptors; this launcher,
// that process, takes what Resume Locally hands over (restore-handover.ts: the program's held files
// at their numbers, and the channel to the holder of its connections, asked with the holder's key
// as its owner on this machine may) and starts the restore with them, in the same terminal.
//
//   node terminal-handover.js -- NODE [FLAGS] restore.js CHECKPOINT [ARGS]
//
// FERRY_TERMINAL_HANDOVER names a 0600 file in the adapter's private launch directory with the
// checkpoint's manifest, which the adapter verified; this removes it, and writes beside it
// (FILE.taken) how many connections it took, for the adapter to report.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { TERMINAL_HANDOVER_ENV } from '../format/ferry-env';
import type { StoredManifest } from '../format/manifest';
import { restoreHandover, takenInTerminalFile } from './restore-handover';

async function main(argv: string[]): Promise<void> {
  const file = process.env[TERMINAL_HANDOVER_ENV];
  // Neither the restore nor the program sees it.
  delete process.env[TERMINAL_HANDOVER_ENV];
  if (argv[0] !== '--' || argv.length < 2 || !file)
    fail('usage: FERRY_TERMINAL_HANDOVER=FILE node terminal-handover.js -- COMMAND...');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as StoredManifest;
  rmSync(file, { force: true });
  const handover = await restoreHandover(manifest);
  writeFileSync(takenInTerminalFile(file), String(handover.connections), { mode: 0o600 });
  const [command, ...args] = argv.slice(1);
  const restore = spawn(command, [...args, ...handover.runtimeArgs], {
    stdio: ['inherit', 'inherit', 'inherit', ...handover.extraStdio],
    env: { ...process.env, ...handover.env },
  });
  handover.close(); // the restore has its own copies
  // Ctrl-C in the terminal reaches the restore itself (the same process group): it decides.
  process.on('SIGINT', () => undefined);
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, () => restore.kill(signal));
  restore.on('error', (error) => fail(`cannot start ${command}: ${error.message}`));
  restore.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
}

function fail(message: string): never {
  process.stderr.write(`ferry: ${message}\n`);
  process.exit(1);
}

main(process.argv.slice(2)).catch((error: Error) => fail(error.message.replace(/^ferry: /, '')));
