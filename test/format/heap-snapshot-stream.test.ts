// The heap snapshot reader the capture agent uses (snapshot/capture/agent/heap-snapshot-stream.ts),
// fed a real V8 snapshot of this process cut at arbitrary points: it must read exactly what
// JSON.parse reads from the whole text, and refuse a snapshot that stops early.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from 'node:inspector';
import { HeapSnapshotStream } from '../../snapshot/capture/agent/heap-snapshot-stream';

function takeSnapshot(): string[] {
  const session = new Session();
  session.connect();
  const chunks: string[] = [];
  session.on('HeapProfiler.addHeapSnapshotChunk', (message) => chunks.push(message.params.chunk));
  // Strings that need escapes, and one long enough to be cut by any chunking.
  Reflect.set(globalThis, '__ferryStreamTest', [
    'quote " backslash \\ newline \n tab \t unicode é ☃',
    'x'.repeat(100_000),
  ]);
  session.post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  session.disconnect();
  Reflect.deleteProperty(globalThis, '__ferryStreamTest');
  return chunks;
}

function cut(text: string, sizes: () => number): string[] {
  const out: string[] = [];
  for (let at = 0; at < text.length;) {
    const size = Math.max(1, sizes());
    out.push(text.slice(at, at + size));
    at += size;
  }
  return out;
}

describe('heap snapshot stream', () => {
  const whole = takeSnapshot().join('');
  const expected = JSON.parse(whole) as {
    snapshot: { meta: unknown };
    nodes: number[];
    edges: number[];
    locations: number[];
    strings: string[];
  };

  const cuts: Array<[string, () => number]> = [
    ['a megabyte at a time', () => 1 << 20],
    ['in small random pieces', () => 1 + Math.floor(Math.random() * 97)],
    ['three characters at a time', () => 3],
  ];
  for (const [name, sizes] of cuts) {
    it(`reads what JSON.parse reads, chunks ${name}`, () => {
      const stream = new HeapSnapshotStream();
      for (const chunk of cut(whole, sizes)) stream.push(chunk);
      const parsed = stream.result();
      assert.deepEqual(parsed.meta, expected.snapshot.meta);
      assert.deepEqual(Array.from(parsed.nodes), expected.nodes);
      assert.deepEqual(Array.from(parsed.edges), expected.edges);
      assert.ok(expected.locations.length > 0);
      assert.deepEqual(Array.from(parsed.locations), expected.locations);
      assert.deepEqual(parsed.strings, expected.strings);
      assert.ok(parsed.strings.some((s) => s.includes('backslash \\ newline \n')));
    });
  }

  it('refuses a snapshot that stops early', () => {
    const stream = new HeapSnapshotStream();
    stream.push(whole.slice(0, Math.floor(whole.length * 0.9)));
    assert.throws(() => stream.result(), /ended early/);
  });
});
