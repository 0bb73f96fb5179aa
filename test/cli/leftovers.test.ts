// Nothing is left in the temp directory: a checkpoint never writes the program's heap to a file
// of its own (a capture killed part way would leave it there in clear), and `npm run demo`
// removes what it made.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linesPrinted } from '../helpers/oracle';
import { aloneOnPort9229 } from '../remote/env';

const root = join(__dirname, '..', '..');
const ferry = join(root, 'dist', 'cli.js');

function inTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-leftovers-'));
  return body(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

describe('temp files', () => {
  it('a checkpoint writes nothing to the temp directory, not even while it runs', () =>
    inTempDir(async (dir) => {
      writeFileSync(
        join(dir, 'prog.js'),
        "globalThis.state = { items: [1, 2, 3] };\nsetInterval(() => console.log('tick'), 50);\n",
      );
      const program = spawn(process.execPath, ['prog.js'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
      try {
        await linesPrinted(program, 1);
        // A temp directory that cannot be written to: any temp file would fail the checkpoint.
        const env = { ...process.env, TMPDIR: join(dir, 'no-such-dir') };
        // SIGUSR1 opens 127.0.0.1:9229: one test file at a time.
        const taken = await aloneOnPort9229(async () =>
          spawnSync(
            process.execPath,
            [ferry, 'checkpoint', '--pid', String(program.pid), '-o', join(dir, 'c.ferry'), '--then', 'stop'],
            { encoding: 'utf8', env },
          ),
        );
        assert.equal(taken.status, 0, taken.stderr);
        assert.match(taken.stdout, /checkpoint written/);
      } finally {
        program.kill('SIGKILL');
      }
    }));

  it('npm run demo leaves nothing in the temp directory', () =>
    inTempDir(async (dir) => {
      // The demo checkpoints by pid: SIGUSR1 opens 127.0.0.1:9229, one test file at a time (ci46
      // failed on a taken port).
      const demo = await aloneOnPort9229(async () =>
        spawnSync(process.execPath, [join(root, 'scripts', 'demo.mjs')], {
          encoding: 'utf8',
          env: { ...process.env, TMPDIR: dir },
        }),
      );
      assert.equal(demo.status, 0, demo.stderr);
      assert.match(demo.stdout, /output identical to an uninterrupted run ✓/);
      assert.deepEqual(readdirSync(dir), []);
    }));
});
