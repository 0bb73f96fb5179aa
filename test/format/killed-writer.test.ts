// A `ferry checkpoint` killed (kill -9) while it writes its file leaves its temp file beside the
// output; the next checkpoint written there removes it, and leaves a live writer's alone. The
// program holds ~96 MiB, so that the write (signing, writing, fsync) lasts long enough for the kill
// to land in it: the test checks that it did (the temp file is there, the output is not).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchWithInspector } from '../../snapshot/target/launch';
import { startTimeOf } from '../../snapshot/target/node-process';
import { collect } from '../helpers/oracle';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const BIG_PROGRAM = `
const held = Array.from({ length: 24 }, (_, i) => Buffer.alloc(4 << 20, i));
setInterval(() => held.length, 1000);
`;
const TEMP = /^\.ferry-.*\.tmp$/;
const env = { ...process.env, FERRY_KEY: 'a signing key of 32 bytes, enough' };

function checkpoint(url: string, output: string) {
  return spawn(process.execPath, [CLI, 'checkpoint', '--inspect', url, '-o', output], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

it('a temp file left by a writer killed mid-write is removed by the next write, a live one is kept', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-killed-'));
  writeFileSync(join(dir, 'big.js'), BIG_PROGRAM);
  const target = await launchWithInspector({ program: join(dir, 'big.js'), cwd: dir, stdio: 'pipe', stdin: 'ignore' });
  t.after(() => {
    target.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const output = join(dir, 'out.ferry');
  const writer = checkpoint(target.webSocketUrl, output);
  const watcher = watch(dir, (_, name) => {
    if (name && TEMP.test(name)) writer.kill('SIGKILL');
  });
  const killed = await collect(writer);
  watcher.close();
  assert.equal(killed.signal, 'SIGKILL', `the writer was not killed: ${killed.stderr}`);
  const left = readdirSync(dir).filter((name) => TEMP.test(name));
  assert.equal(left.length, 1, 'the kill landed during the write: its temp file is there');
  assert.deepEqual(readdirSync(dir).sort(), ['big.js', left[0]].sort());
  // A temp file of a writer still running (this test's process) is not the next writer's to remove.
  const live = `.ferry-${process.pid}-${startTimeOf(process.pid)}-0123abcd.tmp`;
  writeFileSync(join(dir, live), 'being written');
  const next = await collect(checkpoint(target.webSocketUrl, output));
  assert.equal(next.code, 0, next.stderr);
  assert.deepEqual(readdirSync(dir).sort(), ['big.js', live, 'out.ferry'].sort());
});
