/* eslint-disable @typescript-eslint/no-explicit-any -- the fuzzer writes values of any type into any field of a decoded record */
// Damaged checkpoints whose hashes are right (made by a bug, or by hand) are refused by the restore
// runtime with a precise `ferry:` error before any of the program's code runs: no JS stack trace,
// no crash, no hang. Real checkpoints of corpus programs are decoded, their records (not only their
// bytes) mutated in ways that cannot be valid, re-encoded with the hashes recomputed, and each one
// is given to dist/restore.js. Seeded: the same cases every run.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { decodeCheckpoint, encodeCheckpoint } from '../../snapshot/format/checkpoint';
import { decodeHeap, Ref, type HeapRecord } from '../../snapshot/heap/decoder';
import { K } from '../../snapshot/heap/tags';
import { linesPrinted, stage, stopAtOnce, withRetryIfEnded } from '../helpers/oracle';
import { launchWithInspector } from '../../snapshot/target/launch';
import { openTargetSession } from '../../snapshot/capture/target-session';
import { writeCheckpoint } from '../../snapshot/checkpoint';
import { encodeHeap, OverlongList, type UnknownKindRecord } from './heap-codec';

const ROOT = join(__dirname, '..', '..');
const RESTORE = join(ROOT, 'dist', 'restore.js');
const CORPUS = join(ROOT, 'test', 'conformance', 'corpus');
const HERE_CORPUS = join(ROOT, 'test', 'conformance', 'here-corpus');
const CLI = join(ROOT, 'dist', 'cli.js');
/** Checkpoint Here: the paused stack and the functions suspended at an `await` (the "frames" section). */
const HERE_PROGRAMS = ['async-crawler'];
const PROGRAMS = [
  'class-instances',
  'typed-arrays-buffers',
  'promise-chains-pending',
  'generators-suspended',
  'bound-functions-and-proxies',
  'revocable-proxies',
  'weak-collections',
  'symbol-keys',
];
const VARIANTS_PER_MUTATION = 2;
const RESTORE_TIME_LIMIT_MS = 15_000;
const RESTORES_AT_ONCE = 3;

type AnyRecord = HeapRecord | UnknownKindRecord;
interface Checkpoint {
  name: string;
  manifest: Record<string, any>;
  sections: Array<[string, Buffer]>;
  records: AnyRecord[];
  /** Bytes to write as the heap section instead of the records (a section swapped in). */
  rawHeap?: Buffer;
}

/** A small seeded generator (mulberry32): the cases are the same on every run. */
function random(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const text = (b: Uint8Array, e: 'latin1' | 'utf16le') => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString(e);

function decode(name: string, bytes: Buffer): Checkpoint {
  const { manifest, sections } = decodeCheckpoint(bytes);
  return {
    name,
    manifest: manifest as Record<string, any>,
    sections: [...sections],
    records: decodeHeap(sections.get('heap')!, text),
  };
}

function encode(checkpoint: Checkpoint): Buffer {
  const sections = checkpoint.sections.map(([name, data]): [string, Uint8Array] => [
    name,
    name === 'heap' ? (checkpoint.rawHeap ?? encodeHeap(checkpoint.records)) : data,
  ]);
  return Buffer.concat(encodeCheckpoint(checkpoint.manifest, sections));
}

const copy = (checkpoint: Checkpoint): Checkpoint => ({
  name: checkpoint.name,
  manifest: structuredClone(checkpoint.manifest),
  sections: checkpoint.sections.map(([name, data]) => [name, data]),
  records: checkpoint.records.map((record) => cloneRecord(record)),
});

/** Records hold Ref instances, which structuredClone would turn into plain objects. */
function cloneRecord<T>(value: T): T {
  if (value instanceof Ref) return new Ref(value.id) as T;
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(cloneRecord) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneRecord(v)])) as T;
  return value;
}

/** Every place in a record that holds a reference: its holder and key. */
function refSlots(record: AnyRecord): Array<{ holder: any; key: string | number }> {
  const found: Array<{ holder: any; key: string | number }> = [];
  const visit = (holder: any) => {
    for (const key of Object.keys(holder)) {
      const value = holder[key];
      if (value instanceof Ref) found.push({ holder, key: Array.isArray(holder) ? Number(key) : key });
      else if (value && typeof value === 'object' && !(value instanceof Uint8Array)) visit(value);
    }
  };
  visit(record);
  return found;
}

type Mutation = (cp: Checkpoint, pick: (n: number) => number) => boolean;

const idsOf = (cp: Checkpoint, test: (record: AnyRecord) => boolean) =>
  cp.records.flatMap((record, id) => (test(record) ? [id] : []));
const of = <T extends K>(cp: Checkpoint, kind: T) => idsOf(cp, (record) => record.kind === kind) as number[];
const one = <T>(items: T[], pick: (n: number) => number): T | undefined => items[pick(items.length)];
/** Plain objects, arrays and maps: wrong wherever a function, a symbol, a context or a buffer must stand. */
const plainObjects = (cp: Checkpoint) =>
  idsOf(cp, (record) => record.kind === K.Object || record.kind === K.Array || record.kind === K.Map);
const sites = (cp: Checkpoint) =>
  JSON.parse(cp.sections.find(([name]) => name === 'functions')![1].toString()) as unknown[];
const section = (cp: Checkpoint, name: string, data: Buffer) =>
  (cp.sections = cp.sections.map(([n, d]) => [n, n === name ? data : d]));

/** Sets a record's field; false when the checkpoint has no record of that kind. */
function setField<T extends K>(
  kind: T,
  field: string,
  value: (cp: Checkpoint, pick: (n: number) => number) => unknown,
): Mutation {
  return (cp, pick) => {
    const id = one(of(cp, kind), pick);
    const v = value(cp, pick);
    if (id === undefined || v === undefined) return false;
    (cp.records[id] as any)[field] = v;
    return true;
  };
}
const refTo = (ids: (cp: Checkpoint) => number[]) => (cp: Checkpoint, pick: (n: number) => number) => {
  const id = one(ids(cp), pick);
  return id === undefined ? undefined : new Ref(id);
};
const either =
  (...values: Array<(cp: Checkpoint, pick: (n: number) => number) => unknown>) =>
  (cp: Checkpoint, pick: (n: number) => number) => {
    const at = pick(values.length);
    return values[at](cp, pick) ?? values.find((v) => v(cp, pick) !== undefined)?.(cp, pick);
  };
const value = (v: unknown) => () => v;

const MUTATIONS: Record<string, Mutation> = {
  'unknown record kind': (cp, pick) => {
    cp.records[pick(cp.records.length)] = { kind: one([0, 27, 35, 99, 255], pick)!, unknown: true };
    return true;
  },
  'reference past the last object': (cp, pick) => {
    const slots = cp.records.flatMap(refSlots);
    const slot = one(slots, pick)!;
    slot.holder[slot.key] = new Ref(cp.records.length + pick(1000));
    return true;
  },
  'prototype of the wrong type': (cp, pick) => {
    const id = one(
      idsOf(cp, (record) => 'proto' in record && record.kind !== K.Server),
      pick,
    )!;
    const wrong = one(
      [42, 'text', true, ...of(cp, K.Symbol).map((s) => new Ref(s)), ...of(cp, K.Context).map((c) => new Ref(c))],
      pick,
    );
    (cp.records[id] as any).proto = wrong;
    return true;
  },
  'property key that is not a symbol': (cp, pick) => {
    const holders = idsOf(cp, (record) => 'props' in record && record.props.length > 0);
    const id = one(holders, pick)!;
    const props = (cp.records[id] as any).props;
    props[pick(props.length)].key = new Ref(one(plainObjects(cp), pick)!);
    return true;
  },
  'function source site out of range': setField(K.Function, 'site', (cp, pick) => sites(cp).length + pick(50)),
  'function context that is not a context': setField(
    K.Function,
    'context',
    either(refTo(plainObjects), value(7), value('scope')),
  ),
  'context parent that is not a context': setField(
    K.Context,
    'parent',
    either(refTo(plainObjects), value('up'), value(3)),
  ),
  'contexts in a cycle': (cp, pick) => {
    const contexts = of(cp, K.Context);
    const id = one(contexts, pick);
    if (id === undefined) return false;
    (cp.records[id] as any).parent = new Ref(id);
    return true;
  },
  'timer callback that cannot be called': setField(
    K.Timer,
    'callback',
    either(refTo(plainObjects), value(5), value(null)),
  ),
  'callback that is a built-in object, not a function': (cp, pick) => {
    const callers = idsOf(
      cp,
      (record) => record.kind === K.Timer || record.kind === K.Immediate || record.kind === K.BoundFunction,
    );
    const objects = idsOf(cp, (record) => record.kind === K.Builtin && /prototype$/.test((record as any).path));
    const id = one(callers, pick);
    if (id === undefined || objects.length === 0) return false;
    const record = cp.records[id] as any;
    record[record.kind === K.BoundFunction ? 'target' : 'callback'] = new Ref(one(objects, pick)!);
    return true;
  },
  'immediate callback that cannot be called': setField(
    K.Immediate,
    'callback',
    either(refTo(plainObjects), value('run')),
  ),
  'typed array past its buffer': setField(K.TypedArray, 'length', value(1 << 24)),
  'typed array misaligned': (cp, pick) => {
    const id = one(
      idsOf(cp, (record) => record.kind === K.TypedArray && /16|32|64/.test((record as any).type)),
      pick,
    );
    if (id === undefined) return false;
    (cp.records[id] as any).byteOffset += 1;
    return true;
  },
  'typed array on something not a buffer': setField(K.TypedArray, 'buffer', either(refTo(plainObjects), value(8))),
  'data view past its buffer': setField(K.DataView, 'byteLength', value(1 << 24)),
  'symbol of an unknown form': setField(K.Symbol, 'form', value(9)),
  'promise in an unknown state': setField(K.Promise, 'state', value(7)),
  'resolver of something not a promise': setField(K.PromiseResolver, 'promise', refTo(plainObjects)),
  'boxed value of the wrong type': setField(K.Boxed, 'value', either(refTo(plainObjects), value(null))),
  'proxy of a primitive': setField(K.Proxy, 'target', value(3)),
  'revoke function of something not a proxy': setField(K.ProxyRevoke, 'proxy', either(refTo(plainObjects), value(4))),
  'iterator over something not its collection': setField(
    K.CollectionIterator,
    'collection',
    either(refTo(plainObjects), value('map')),
  ),
  'bound function of something not callable': setField(K.BoundFunction, 'target', refTo(plainObjects)),
  'unknown built-in': setField(K.Builtin, 'path', (_, pick) =>
    one(['global:NoSuchGlobal', 'module:no_such_module', 'global:Array.prototype.frobnicate', 'zz'], pick),
  ),
  'regular expression that does not compile': setField(K.RegExp, 'source', value('(unclosed')),
  'weak map keyed by a primitive': (cp, pick) => {
    const id = one(
      idsOf(
        cp,
        (record) => (record.kind === K.WeakMap || record.kind === K.WeakSet) && (record as any).entries.length > 0,
      ),
      pick,
    );
    if (id === undefined) return false;
    (cp.records[id] as any).entries[0] = 'not an object';
    return true;
  },
  'module filename that is not a string': setField(K.Module, 'filename', either(refTo(plainObjects), value(12))),
  'require of something not a module': setField(K.Require, 'module', refTo(plainObjects)),
  'list longer than its items': (cp, pick) => {
    const lists = cp.records.flatMap((record) =>
      (['entries', 'args', 'listeners', 'settings'] as const).flatMap((field) =>
        Array.isArray((record as any)[field]) ? [{ record, field }] : [],
      ),
    );
    const chosen = one(lists, pick);
    if (!chosen) return false;
    const list = new OverlongList();
    list.push(...(chosen.record as any)[chosen.field]);
    list.extra = 1 + pick(3);
    (chosen.record as any)[chosen.field] = list;
    return true;
  },
  'array longer than its elements': (cp, pick) => {
    const id = one(
      idsOf(cp, (record) => record.kind === K.Array && (record as any).elements !== null),
      pick,
    );
    if (id === undefined) return false;
    (cp.records[id] as any).length += 1 + pick(3);
    return true;
  },
  'root that is not the roots object': (cp, pick) => {
    cp.manifest.heap.rootId = one(
      [cp.records.length + 3, -1, 'roots', ...of(cp, K.Symbol), ...of(cp, K.Function)],
      pick,
    );
    return true;
  },
  'manifest field missing': (cp, pick) => {
    const [holder, key] = one<[any, string]>(
      [
        [cp.manifest, 'kind'],
        [cp.manifest, 'heap'],
        [cp.manifest, 'program'],
        [cp.manifest, 'process'],
        [cp.manifest, 'handles'],
        [cp.manifest.process, 'env'],
        [cp.manifest.program, 'argv'],
        [cp.manifest.heap, 'rootId'],
        [cp.manifest.handles, 'timers'],
      ],
      pick,
    )!;
    delete holder[key];
    return true;
  },
  'manifest field of the wrong type': (cp, pick) => {
    const [holder, key, wrong] = one<[any, string, unknown]>(
      [
        [cp.manifest, 'kind', 'later'],
        [cp.manifest.program, 'argv', 'node prog.js'],
        [cp.manifest.program, 'cwd', 5],
        [cp.manifest.process, 'env', 'x'],
        [cp.manifest.process, 'umask', 'x'],
        [cp.manifest.process, 'title', null],
        [cp.manifest.process, 'exitCode', 'x'],
        [cp.manifest.handles, 'files', { fd: 3 }],
        [cp.manifest, 'heap', 7],
        [cp.manifest, 'program', []],
      ],
      pick,
    )!;
    holder[key] = wrong;
    return true;
  },
  'sections swapped': (cp, pick) => {
    const a = pick(cp.sections.length);
    const b = (a + 1 + pick(cp.sections.length - 1)) % cp.sections.length;
    const data = cp.sections.map(([, d]) => d);
    cp.sections = cp.sections.map(([name, d], i) => [name, i === a ? data[b] : i === b ? data[a] : d]);
    cp.rawHeap = cp.sections.find(([name]) => name === 'heap')![1];
    return true;
  },
  'section missing': (cp, pick) => {
    const name = one(['heap', 'functions', 'sources', ...(cp.manifest.kind === 'here' ? ['frames'] : [])], pick)!;
    cp.sections = cp.sections.filter(([n]) => n !== name);
    return true;
  },
  'frame placed on records of the wrong kind': (cp, pick) => {
    const frames = cp.sections.find(([name]) => name === 'frames');
    if (!frames) return false;
    const parsed = JSON.parse(frames[1].toString()) as Array<Record<string, unknown>>;
    const frame = parsed[pick(parsed.length)];
    const [field, kind] = one<[string, K]>(
      [
        ['data', K.Symbol],
        ['context', K.Function],
        ['generator', K.Object],
      ],
      pick,
    )!;
    frame[field] = one(of(cp, kind), pick) ?? cp.records.length;
    section(cp, 'frames', Buffer.from(JSON.stringify(parsed)));
    return true;
  },
  'JSON section of the wrong shape': (cp, pick) => {
    const name = one(
      cp.sections.map(([n]) => n).filter((n) => n !== 'heap' && n !== 'workfiles'),
      pick,
    )!;
    const wrong = one(['{}', '"text"', '[1,2,3]', '[{"scriptId":5}]', '[null]', 'not json'], pick)!;
    section(cp, name, Buffer.from(wrong));
    return true;
  },
};

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  hung: boolean;
}

function runRestore(file: string, cwd: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [RESTORE, file], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let hung = false;
    const limit = setTimeout(() => ((hung = true), child.kill('SIGKILL')), RESTORE_TIME_LIMIT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, stdout, stderr, hung });
    });
  });
}

/** Runs `task` over every item, a few at a time. */
async function eachAtOnce<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await task(items[next++]);
    }),
  );
}

/** A real checkpoint of a corpus program, at its first idle point after its first checkpoint line (as the oracle takes them). */
function takeCheckpoint(program: string, work: string): Promise<Buffer> {
  return withRetryIfEnded(async () => {
    const { dir, script } = stage(join(CORPUS, `${program}.js`));
    const lines = Number(/ferry-lines: (\d+)/.exec(readFileSync(script, 'utf8'))![1]);
    const output = join(work, `${program}.ferry`);
    const launched = await launchWithInspector({ program: script, cwd: dir, stdio: 'pipe', breakOnStart: true });
    try {
      const printed = linesPrinted(launched.child, lines);
      const session = await openTargetSession(launched.webSocketUrl, { startedWithBreak: true });
      try {
        await printed;
        await writeCheckpoint(session, { at: 'idle', output, pausedCallFrames: await stopAtOnce(session.cdp) });
      } finally {
        await session.cdp.close();
      }
      return readFileSync(output);
    } finally {
      launched.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** A Checkpoint Here of a here-corpus program, at its first `// @bp HIT` marker, by `ferry run --checkpoint-at`. */
function takeHereCheckpoint(program: string, work: string): Buffer {
  const { dir, script } = stage(join(HERE_CORPUS, `${program}.js`));
  try {
    const lines = readFileSync(script, 'utf8').split('\n');
    const line = lines.findIndex((text) => /\/\/ @bp \d+/.test(text));
    const hit = /\/\/ @bp (\d+)/.exec(lines[line])![1];
    const output = join(work, `${program}-here.ferry`);
    const run = spawnSync(
      process.execPath,
      [CLI, 'run', '--checkpoint-at', `${basename(script)}:${line + 1}#${hit}`, '-o', output, '--', basename(script)],
      { cwd: dir, encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`Checkpoint Here of ${program} failed: ${run.stderr}`);
    return readFileSync(output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Each restore is bounded by RESTORE_TIME_LIMIT_MS (a hang is a failure of its own): the suite's
// bound only catches the runner. It was 240 s, and the 200-odd restores took 214 s at load 23 on
// two cores; 15 minutes leaves four times that.
describe('damaged checkpoints with valid hashes', { timeout: 900_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), 'ferry-fuzz-'));
  const checkpoints: Checkpoint[] = [];
  before(async () => {
    for (const program of PROGRAMS) checkpoints.push(decode(program, await takeCheckpoint(program, work)));
    for (const program of HERE_PROGRAMS)
      checkpoints.push(decode(`${program} (here)`, takeHereCheckpoint(program, work)));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('re-encoded unchanged, every checkpoint restores (the encoder is faithful)', async () => {
    await eachAtOnce(checkpoints, RESTORES_AT_ONCE, async (cp) => {
      const file = join(work, `${cp.name}-same.ferry`);
      writeFileSync(file, encode(copy(cp)));
      const outcome = await runRestore(file, work);
      assert.ok(
        !outcome.stderr.startsWith('ferry') && outcome.code !== 70 && !outcome.hung && outcome.stdout !== '',
        `${cp.name}: ${outcome.stderr}`,
      );
    });
  });

  it('every mutation ends in a precise ferry: error, before any of the program runs', async () => {
    const cases: Array<{ label: string; bytes: Buffer }> = [];
    let seed = 1;
    for (const cp of checkpoints) {
      for (const [name, mutate] of Object.entries(MUTATIONS)) {
        for (let variant = 0; variant < VARIANTS_PER_MUTATION; variant++) {
          const mutated = copy(cp);
          const pick = random(seed++);
          if (mutate(mutated, pick))
            cases.push({ label: `${cp.name}: ${name} (seed ${seed - 1})`, bytes: encode(mutated) });
        }
      }
    }
    assert.ok(cases.length >= 200, `only ${cases.length} cases`);
    const failures: string[] = [];
    await eachAtOnce(cases, RESTORES_AT_ONCE, async ({ label, bytes }) => {
      const file = join(work, `case-${label.replace(/\W+/g, '-')}.ferry`);
      writeFileSync(file, bytes);
      const outcome = await runRestore(file, work);
      rmSync(file);
      const problem = outcome.hung
        ? `hung for ${RESTORE_TIME_LIMIT_MS} ms`
        : outcome.code === 0 || outcome.code === null
          ? `exit ${outcome.code ?? outcome.signal}`
          : !/^ferry: [^\n]+\n$/.test(outcome.stderr)
            ? 'not one ferry: line'
            : /^\s+at /m.test(outcome.stderr)
              ? 'a stack trace'
              : outcome.stdout !== ''
                ? 'the program ran'
                : /Cannot read properties|is not a function|is not iterable|is not defined|Maximum call stack|Unexpected token|Invalid|must be|of undefined|of null/.test(
                      outcome.stderr,
                    )
                  ? 'a raw JS error'
                  : undefined;
      if (problem)
        failures.push(
          `${label}: ${problem}: ${JSON.stringify(outcome.stderr.slice(0, 300))}${outcome.stdout ? ` stdout ${JSON.stringify(outcome.stdout.slice(0, 100))}` : ''}`,
        );
    });
    assert.deepEqual(failures, [], `${failures.length} of ${cases.length} cases:\n${failures.join('\n')}`);
  });
});
