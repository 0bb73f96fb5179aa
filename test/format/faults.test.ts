// Faults while writing or reading a checkpoint leave nothing behind and say what happened: a full
// disk leaves no partial temp file, a long output name is written, a manifest of an unknown
// version is refused naming both versions.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CheckpointFormatError,
  decodeCheckpoint,
  encodeCheckpoint,
  readCheckpointFile,
  writeCheckpointFile,
} from '../../snapshot/format/checkpoint';

const manifest = { ferry: 1, kind: 'idle' };
const sections: Array<[string, Uint8Array]> = [['heap', Buffer.alloc(256 << 10, 7)]];

function inTempDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-faults-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('writing a checkpoint', () => {
  it(
    'removes its temp file when the disk fills up',
    { skip: process.getuid?.() !== 0 && 'needs root to mount a small tmpfs' },
    () => {
      inTempDir((dir) => {
        // A real full disk: a 64 KiB tmpfs, smaller than the checkpoint.
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
        try {
          assert.throws(
            () => writeCheckpointFile(join(dir, 'out.ferry'), manifest, sections),
            /^Error: cannot write the checkpoint .*out\.ferry: ENOSPC/,
          );
          assert.deepEqual(readdirSync(dir), []);
        } finally {
          execFileSync('umount', [dir]);
        }
      });
    },
  );

  it('writes an output name as long as the file system allows', () => {
    inTempDir((dir) => {
      const path = join(dir, `${'n'.repeat(245)}.ferry`); // 251 characters, NAME_MAX is 255
      writeCheckpointFile(path, manifest, sections);
      assert.equal(readCheckpointFile(path).sections.get('heap')!.length, 256 << 10);
      assert.deepEqual(readdirSync(dir), [`${'n'.repeat(245)}.ferry`]);
    });
  });

  it('leaves nothing when the output directory does not exist', () => {
    inTempDir((dir) => {
      assert.throws(
        () => writeCheckpointFile(join(dir, 'missing', 'out.ferry'), manifest, sections),
        /cannot write the checkpoint .*ENOENT/,
      );
      assert.deepEqual(readdirSync(dir), []);
    });
  });
});

describe('the manifest version', () => {
  const withVersion = (ferry: unknown) => Buffer.concat(encodeCheckpoint({ ...manifest, ferry }, sections));
  const refused = (bytes: Buffer, message: RegExp) =>
    assert.throws(
      () => decodeCheckpoint(bytes),
      (error: unknown) =>
        error instanceof CheckpointFormatError && error.code === 'version' && message.test(error.message),
    );

  it('is read as written', () => assert.equal(decodeCheckpoint(withVersion(1)).manifest.ferry, 1));
  it('refuses a newer one, naming both versions', () =>
    refused(withVersion(2), /manifest version 2 is newer than this Ferry reads \(version 1\)/));
  it('refuses an unknown one', () => {
    refused(withVersion('1.0'), /manifest version "1.0" is not one this Ferry knows \(it reads version 1\)/);
    refused(withVersion(0), /manifest version 0 is not one/);
    refused(withVersion(undefined), /manifest version missing is not one/);
  });
});

describe('verify and inspect read what the restore reads', () => {
  // Hashes and signature intact, contents not: a manifest without its fields, a heap of garbage.
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [join(__dirname, '../../dist/cli.js'), ...args], { encoding: 'utf8' });

  it('verify refuses a checkpoint the restore would refuse, and inspect names it corrupt', () => {
    inTempDir((dir) => {
      const path = join(dir, 'hollow.ferry');
      writeCheckpointFile(path, manifest, sections);
      for (const command of ['verify', 'inspect']) {
        const run = cli([command, path]);
        assert.equal(run.status, 3, `${command}: ${run.stdout}${run.stderr}`);
        assert.match(run.stderr, /^ferry: checkpoint corrupted: the manifest's .* is missing or malformed\n$/, command);
        assert.equal(run.stdout, '');
      }
    });
  });
});
