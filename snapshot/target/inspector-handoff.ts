// Preloaded (`--require dist/inspector-handoff.js`) into a program the editor starts in its own
// terminal: the debug adapter cannot read that terminal, and the program's inspector publishes its
// session URL nowhere else (`--inspect-publish-uid=stderr`, no /json). This hands the URL to the
// adapter through a 0600 file in a 0700 directory the adapter made and named in the environment,
// then holds the program before its first line until the adapter has connected and set its
// breakpoints (`--inspect-brk` cannot do that here: it stops before preloads run).
import { writeFileSync } from 'node:fs';
import { url, waitForDebugger } from 'node:inspector';
import { INSPECTOR_HANDOFF_ENV } from '../format/ferry-env';

function handOverInspector(): void {
  const file = process.env[INSPECTOR_HANDOFF_ENV];
  // Neither the program nor its children see the variable, nor does a checkpoint's module list see this file.
  delete process.env[INSPECTOR_HANDOFF_ENV];
  delete require.cache[__filename];
  const address = url();
  if (!file || !address) return; // not started by the adapter (a child process inheriting execArgv)
  writeFileSync(file, `${address}\n`, { mode: 0o600, flag: 'wx' });
  waitForDebugger();
}

handOverInspector();
