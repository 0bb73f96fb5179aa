// The working files section: round trip, and damaged or hostile indexes refused before anything is written.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { packWorkingFiles, unpackWorkingFiles } from '../../snapshot/format/workfiles';

const files = [
  { path: 'log.txt', mode: 0o644, data: Buffer.from('line 1\nline 2\n') },
  { path: 'state/data.bin', mode: 0o600, data: Buffer.from([0, 1, 2, 255]) },
  { path: 'empty', mode: 0o640, data: Buffer.alloc(0) },
];

describe('working files section', () => {
  it('round-trips paths, modes and bytes', () => {
    const back = unpackWorkingFiles(packWorkingFiles(files));
    assert.deepEqual(
      back.map((f) => [f.path, f.mode, Buffer.from(f.data).toString('hex')]),
      files.map((f) => [f.path, f.mode, f.data.toString('hex')]),
    );
  });

  it('refuses every truncation', () => {
    const packed = packWorkingFiles(files);
    for (let n = 0; n < packed.length; n++)
      assert.throws(
        () => unpackWorkingFiles(packed.subarray(0, n)),
        /working files section/,
        `truncated to ${n} bytes`,
      );
  });

  it('refuses paths that would write outside the program directory', () => {
    for (const path of ['/etc/passwd', '../escape', 'a/../../b']) {
      assert.throws(
        () => unpackWorkingFiles(packWorkingFiles([{ path, mode: 0o644, data: Buffer.from('x') }])),
        /damaged entry/,
        path,
      );
    }
  });
});
