// Resuming a signed checkpoint under the debugger: the adapter's FERRY_KEY reaches the restore
// through a pipe it reads once, never the resumed program's environment.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { startClient } from './helpers';
import { aloneOnPort9229 } from '../remote/env';

const FERRY = resolve(__dirname, '../../dist/cli.js');
const KEY = 'dap-signing-key-5e0c9b27a1f4';

// Ticks, saying whether it can see a FERRY_KEY; ends 3 ticks after it is restored.
const PROGRAM = `
let n = 0, since = 0, restored = false;
process.on('ferry:restore', () => { restored = true; });
const t = setInterval(() => {
  const seen = 'FERRY_KEY' in process.env || require('fs').readFileSync('/proc/self/environ', 'latin1').includes('FERRY_KEY=');
  console.log('tick ' + ++n + (seen ? ' sees the key' : ' sees no key'));
  if (restored && ++since === 3) { clearInterval(t); process.exitCode = 0; }
}, 20);
`;

test('a signed checkpoint resumes under the debugger with FERRY_KEY, and the program never sees the key', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-dap-signed-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'prog.js'), PROGRAM);
  const program = spawn(process.execPath, ['prog.js'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
  t.after(() => void program.kill('SIGKILL'));
  await new Promise((resolve) => program.stdout.once('data', resolve));
  // SIGUSR1 opens 127.0.0.1:9229: one test file at a time.
  const taken = await aloneOnPort9229(async () =>
    spawnSync(
      process.execPath,
      [FERRY, 'checkpoint', '--pid', String(program.pid), '-o', 'c.ferry', '--then', 'stop'],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, FERRY_KEY: KEY },
      },
    ),
  );
  assert.equal(taken.status, 0, taken.stderr);

  process.env.FERRY_KEY = KEY; // the adapter inherits it, as from the editor's environment
  const client = await startClient(t);
  delete process.env.FERRY_KEY;
  const output = client.collectOutput();
  const resumed = client.waitForEvent('ferry/resumed');
  const terminated = client.waitForEvent('terminated');
  await client.launchWith({ checkpoint: join(dir, 'c.ferry'), outputCapture: 'std' });
  await resumed;
  await terminated;
  const ticks = output
    .map((o) => o.output)
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('tick '));
  // Three after 'ferry:restore'; under load a due tick can come before that event.
  assert.ok(ticks.length >= 3 && ticks.length <= 4, JSON.stringify(output));
  for (const tick of ticks) assert.match(tick, /sees no key$/);
});
