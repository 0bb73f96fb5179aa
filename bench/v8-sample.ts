// The yardstick, measured in the same target right after its checkpoint: v8.serialize and
// v8.deserialize of the workload's plain data (`benchState.data`). v8.serialize cannot take
// functions or keep prototypes, so the closures (about 1% of the objects) are left out and the
// Order class instances are serialized as plain objects: the yardstick does less than Ferry does.
import { readMemory, resetPeak } from './proc';
import { evaluate, type Target } from './target';

export interface V8Sample {
  serializeMs: number;
  deserializeMs: number;
  bytes: number;
  /** Peak RSS during serialize + deserialize minus RSS just before. */
  peakExtraRssBytes: number;
}

const MEASURE = `(() => {
  const v8 = process.getBuiltinModule('v8');
  let t = performance.now();
  const bytes = v8.serialize(globalThis.benchState.data);
  const serializeMs = performance.now() - t;
  t = performance.now();
  v8.deserialize(bytes);
  return { serializeMs, deserializeMs: performance.now() - t, bytes: bytes.length };
})()`;

export async function v8Sample(target: Target): Promise<V8Sample> {
  const before = readMemory(target.pid);
  resetPeak(target.pid);
  const measured = await evaluate<Omit<V8Sample, 'peakExtraRssBytes'>>(target.session!, MEASURE);
  return { ...measured, peakExtraRssBytes: readMemory(target.pid).peakRssBytes - before.rssBytes };
}
