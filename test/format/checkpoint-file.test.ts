// The .ferry file refuses damaged, foreign and tampered input with a precise error, and never
// crashes, hangs or allocates without bound on arbitrary bytes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CheckpointFormatError,
  decodeCheckpoint,
  encodeCheckpoint,
  writeCheckpointFile,
  readCheckpointFile,
} from '../../snapshot/format/checkpoint';
import { decodeHeap } from '../../snapshot/heap/decoder';
import { HeapFormatError } from '../../snapshot/heap/reader';

const manifest = { ferry: 1, kind: 'idle', note: 'test' };
const sections: Array<[string, Uint8Array]> = [
  ['heap', Buffer.from('heap bytes')],
  ['sources', Buffer.from('[]')],
];
const good = Buffer.concat(encodeCheckpoint(manifest, sections));
const key = Buffer.from('secret key, 24 bytes...');
const signed = Buffer.concat(encodeCheckpoint(manifest, sections, key));

function rejectsWith(bytes: Buffer, code: string, message: RegExp, options = {}) {
  assert.throws(
    () => decodeCheckpoint(bytes, options),
    (error: unknown) => {
      assert.ok(error instanceof CheckpointFormatError, `expected CheckpointFormatError, got ${error}`);
      assert.equal(error.code, code);
      assert.match(error.message, message);
      return true;
    },
  );
}

describe('.ferry file', () => {
  it('round-trips the manifest and every section', () => {
    const { manifest: m, sections: s } = decodeCheckpoint(good);
    assert.equal(m.note, 'test');
    assert.equal(m.signed, false);
    assert.equal(s.get('heap')!.toString(), 'heap bytes');
    assert.deepEqual([...s.keys()], ['heap', 'sources']);
  });

  it('is written with mode 0600, atomically', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-format-'));
    try {
      const path = join(dir, 'x.ferry');
      writeCheckpointFile(path, manifest, sections);
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.equal(readCheckpointFile(path).sections.get('sources')!.toString(), '[]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file that is not a checkpoint', () =>
    rejectsWith(Buffer.from('#!/bin/sh\necho hi\n'), 'not-a-checkpoint', /bad magic/));

  it('refuses a foreign format version', () => {
    const foreign = Buffer.from(good);
    foreign.writeUInt32LE(99, 8);
    rejectsWith(foreign, 'version', /format version 99 is not supported/);
  });

  it('refuses every truncation', () => {
    for (let length = 0; length < good.length; length++) {
      assert.throws(() => decodeCheckpoint(good.subarray(0, length)), CheckpointFormatError, `truncated to ${length}`);
    }
  });

  it('detects a flipped byte anywhere (manifest, sections, hashes)', () => {
    for (let at = 16; at < good.length - 32; at++) {
      const damaged = Buffer.from(good);
      damaged[at] ^= 0x40;
      assert.throws(() => decodeCheckpoint(damaged), CheckpointFormatError, `byte ${at}`);
    }
  });

  it('names the damaged section', () => {
    const damaged = Buffer.from(good);
    const at = damaged.indexOf('heap bytes');
    damaged[at] ^= 1;
    rejectsWith(damaged, 'corrupt', /section "heap" does not match its SHA-256/);
  });

  it('checks the HMAC signature before anything is used', () => {
    assert.equal(decodeCheckpoint(signed, { hmacKey: key }).manifest.signed, true);
    rejectsWith(signed, 'signature', /checkpoint is signed: give the key/);
    rejectsWith(signed, 'signature', /signature does not match/, { hmacKey: Buffer.from('another key of 24 bytes.') });
    // Re-signing a tampered file needs the key: changing content and hashes is not enough.
    const tampered = Buffer.concat(
      encodeCheckpoint({ ...manifest, note: 'evil' }, sections, Buffer.from("the attacker's own key...")),
    );
    rejectsWith(tampered, 'signature', /signature does not match/, { hmacKey: key });
    // With a key given, an unsigned checkpoint (anyone can write one) is refused too.
    rejectsWith(good, 'signature', /not signed, and a signature is required/, { hmacKey: key });
  });

  it('refuses a key shorter than 16 bytes, at signing and at verifying', () => {
    // An empty key signs too: anyone could make a valid "signed" file with it.
    for (const short of [Buffer.alloc(0), Buffer.from('fifteen bytes!!')]) {
      assert.throws(
        () => encodeCheckpoint(manifest, sections, short),
        new RegExp(`the signing key is ${short.length} bytes: a signing key needs at least 16`),
      );
      assert.throws(() => decodeCheckpoint(signed, { hmacKey: short }), /a signing key needs at least 16/);
    }
    const sixteen = Buffer.from('sixteen bytes!!!');
    assert.equal(
      decodeCheckpoint(Buffer.concat(encodeCheckpoint(manifest, sections, sixteen)), { hmacKey: sixteen }).manifest
        .signed,
      true,
    );
  });

  it('survives random garbage after a valid header without crashing or hanging', () => {
    for (let i = 0; i < 500; i++) {
      const bytes = Buffer.concat([good.subarray(0, 16), randomBytes(i * 7)]);
      bytes.writeUInt32LE(Math.floor(Math.random() * 2 ** 32), 12); // even a huge manifest length
      assert.throws(() => decodeCheckpoint(bytes), CheckpointFormatError);
    }
  });
});

describe('heap section decoder', () => {
  const text = (b: Uint8Array, e: 'latin1' | 'utf16le') =>
    Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString(e);
  it('refuses a record count larger than its bytes instead of allocating it', () => {
    const bytes = Buffer.alloc(16);
    bytes.writeUInt32LE(0xffffffff, 0);
    bytes.writeUInt32LE(4, 4);
    assert.throws(() => decodeHeap(bytes, text), HeapFormatError);
  });
  it('turns random bytes into HeapFormatError, never a crash', () => {
    for (let i = 0; i < 2000; i++) {
      const bytes = randomBytes(12 + (i % 64));
      bytes.writeUInt32LE(i % 5, 0);
      bytes.writeUInt32LE(Math.min(bytes.length - 12, i % 40), 4);
      bytes.writeUInt32LE(i % 3, 8);
      try {
        decodeHeap(bytes, text);
      } catch (error) {
        assert.ok(error instanceof HeapFormatError, `unexpected ${error}`);
      }
    }
  });
});
