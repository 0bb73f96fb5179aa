// The key module: what a key file holds, and the pipe that hands a key to one reader.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { keyPipe, readKeyFile } from '../../snapshot/format/key';

const KEY = Buffer.from('a key of twenty-four b..');

describe('signing key', () => {
  it('is the file without its trailing line ends', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-key-test-'));
    try {
      for (const text of [`${KEY}`, `${KEY}\n`, `${KEY}\r\n`]) {
        writeFileSync(join(dir, 'key'), text);
        assert.deepEqual(readKeyFile(join(dir, 'key')), KEY);
      }
      assert.throws(() => readKeyFile(join(dir, 'missing')), /^Error: cannot read the key file .*missing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('goes through a pipe to one reader, once, and the pipe is gone after', async () => {
    const pipe = keyPipe(KEY);
    // Another process, as the restore runtime is, waited for asynchronously: the writer runs on this event loop.
    const reader = await promisify(execFile)('cat', [pipe.path], { encoding: 'latin1' });
    assert.equal(reader.stdout, KEY.toString('latin1'));
    // Removed once the writer's close has run on libuv's thread pool, which a loaded machine delays.
    for (const deadline = Date.now() + 10_000; existsSync(dirname(pipe.path)) && Date.now() < deadline;)
      await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(existsSync(dirname(pipe.path)), false, 'removed once read');
    pipe.close(); // after the fact: harmless
  });

  it('is dropped, and its pipe removed, when no one comes to read it', () => {
    const pipe = keyPipe(KEY);
    assert.ok(existsSync(pipe.path));
    pipe.close();
    assert.equal(existsSync(dirname(pipe.path)), false);
  });

  it('lets its process end when closed at once: the writer waiting for a reader is released', () => {
    // A writer still blocked in open() would keep that process alive until the timeout.
    const module = resolve(__dirname, '../../snapshot/format/key.ts');
    const ended = spawnSync(
      process.execPath,
      ['--import', 'tsx', '-e', `require(${JSON.stringify(module)}).keyPipe(Buffer.alloc(24, 1)).close()`],
      { timeout: 20_000 },
    );
    assert.equal(ended.signal, null, 'ended by the timeout');
    assert.equal(ended.status, 0, String(ended.stderr));
  });
});
