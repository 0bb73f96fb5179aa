// The heap codec, record kind by record kind: one real program holding a value of every kind
// (fixtures/every-record-kind.js) is captured once by the real agent; each decoded record must have
// the fields its value had, and the records re-encoded (heap-codec.ts) must give the very bytes the
// agent wrote, which holds only if the decoder reads every field the walker writes. A kind or value
// tag added to tags.ts without a case here fails the test.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { launchWithInspector } from '../../snapshot/target/launch';
import { openTargetSession } from '../../snapshot/capture/target-session';
import { captureCheckpoint } from '../../snapshot/capture/index';
import { decodeHeap, heapStringTable, HOLE, Ref, type HeapRecord, type RecordOf } from '../../snapshot/heap/decoder';
import { decodeStrings } from '../../snapshot/heap/reader';
import { A, Combinator, Integrity, K, V } from '../../snapshot/heap/tags';
import { builtinPath, replicaPath } from '../../snapshot/heap/builtins';
import { SECTION, type FunctionSite } from '../../snapshot/format/sections';
import { linesPrinted } from '../helpers/oracle';
import { encodeHeap } from './heap-codec';

const FIXTURE = join(__dirname, 'fixtures', 'every-record-kind.js');
const TAGS = join(__dirname, '..', '..', 'snapshot', 'heap', 'tags.ts');

const toText = (b: Uint8Array, e: 'latin1' | 'utf16le') =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString(e);

/** One capture of the fixture, decoded, with ways to reach the values it holds in `globalThis.every`. */
class Captured {
  readonly records: HeapRecord[];
  readonly strings: string[];

  constructor(
    readonly heap: Uint8Array,
    readonly sites: FunctionSite[],
    readonly rootId: number,
  ) {
    this.records = decodeHeap(heap, toText);
    this.strings = decodeStrings(heapStringTable(heap), toText);
  }

  /** The value of property `key` of record `id`. */
  prop(id: number, key: string): unknown {
    const record = this.records[id];
    assert.ok('props' in record, `record ${id} has no properties`);
    const found = record.props.find((p) => p.key === key);
    assert.ok(found, `record ${id} has no property ${key}`);
    return found.value;
  }

  /** The record a slot refers to, checked to be of `kind`. */
  at<T extends HeapRecord['kind']>(slot: unknown, kind: T): RecordOf<T> {
    assert.ok(slot instanceof Ref, `${String(slot)} is not a reference`);
    assert.equal(this.records[slot.id].kind, kind, `record ${slot.id}`);
    return this.records[slot.id] as RecordOf<T>;
  }

  /** A reference to the record of `every[name]`. */
  ref(name: string): Ref {
    const globals = this.at(this.prop(this.rootId, 'globals'), K.Object);
    const every = globals.props.find((p) => p.key === 'every')!.value as Ref;
    return this.prop(every.id, name) as Ref;
  }

  every<T extends HeapRecord['kind']>(name: string, kind: T): RecordOf<T> {
    return this.at(this.ref(name), kind);
  }

  /** The path of the built-in a slot refers to. */
  builtin(slot: unknown): string {
    return this.at(slot, K.Builtin).path;
  }
}

async function captureFixture(): Promise<Captured> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-codec-'));
  const program = join(dir, 'every-record-kind.js');
  cpSync(FIXTURE, program);
  const launched = await launchWithInspector({ program, cwd: dir, stdio: 'pipe', breakOnStart: true });
  try {
    const ready = linesPrinted(launched.child, 1);
    const session = await openTargetSession(launched.webSocketUrl, { startedWithBreak: true });
    try {
      await ready;
      // Connections carried (the fixture holds one), as `checkpoint` does.
      const { manifest, sections } = await captureCheckpoint(session, { at: 'idle', connections: { holder: null } });
      const section = (name: string) => sections.find(([n]) => n === name)![1];
      const sites = JSON.parse(Buffer.from(section(SECTION.functions)).toString()) as FunctionSite[];
      return new Captured(section(SECTION.heap), sites, manifest.heap.rootId);
    } finally {
      await session.cdp.close();
    }
  } finally {
    launched.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

type Case = (c: Captured) => void;

const common = (proto: string) => (c: Captured, record: { proto: unknown; integrity: number }) => {
  assert.equal(c.builtin(record.proto), proto);
  assert.equal(record.integrity, Integrity.Extensible);
};
const globalPrototype = (name: string) => builtinPath(`global:${name}`, 'prototype');

/** For each record kind, what the capture of the fixture's value of that kind must hold. */
const KIND_CASES: Record<keyof typeof K, Case> = {
  Object: (c) => {
    const record = c.every('object', K.Object);
    common(globalPrototype('Object'))(c, record);
    assert.deepEqual(record.props, [{ key: 'a', flags: A.Default, value: 1 }]);
  },
  Array: (c) => {
    const record = c.every('array', K.Array);
    assert.equal(record.length, 3);
    assert.deepEqual(record.elements, [1, HOLE, 3]);
    common(globalPrototype('Array'))(c, record);
    assert.deepEqual(record.props, []);
  },
  Function: (c) => {
    const record = c.every('function', K.Function);
    assert.match(c.sites[record.site].source, /^function greet\(name\) \{\s+return prefix \+ name;\s+\}$/);
    c.at(record.context, K.Context);
    c.at(record.proto, K.Builtin); // Function.prototype, by whichever path the registry found first
    assert.deepEqual(
      record.props.filter((p) => p.key !== 'prototype'),
      [
        { key: 'length', flags: A.Configurable, value: 1 },
        { key: 'name', flags: A.Configurable, value: 'greet' },
      ],
    );
  },
  Builtin: (c) => assert.equal(c.every('builtin', K.Builtin).path, builtinPath('global:Math', 'max')),
  Date: (c) => {
    const record = c.every('date', K.Date);
    assert.equal(record.time, 1700000000000);
    common(globalPrototype('Date'))(c, record);
  },
  RegExp: (c) => {
    const record = c.every('regexp', K.RegExp);
    assert.deepEqual([record.source, record.flags], ['ab+c', 'gi']);
    assert.deepEqual(record.props, [{ key: 'lastIndex', flags: A.Writable, value: 0 }]);
  },
  Error: (c) => {
    const record = c.every('error', K.Error);
    common(globalPrototype('RangeError'))(c, record);
    assert.equal(c.prop(c.ref('error').id, 'message'), 'out of range');
    assert.match(c.prop(c.ref('error').id, 'stack') as string, /^RangeError: out of range\n {4}at /);
  },
  Map: (c) => {
    const record = c.every('map', K.Map);
    assert.deepEqual(record.entries, ['key', 'value', 'second key', 'second value']);
    common(globalPrototype('Map'))(c, record);
  },
  Set: (c) => assert.deepEqual(c.every('set', K.Set).entries, ['member']),
  WeakMap: (c) => assert.deepEqual(c.every('weakMap', K.WeakMap).entries, [c.ref('weakKey'), 'weak value']),
  WeakSet: (c) => assert.deepEqual(c.every('weakSet', K.WeakSet).entries, [c.ref('weakKey')]),
  ArrayBuffer: (c) => assert.deepEqual([...c.every('arrayBuffer', K.ArrayBuffer).bytes], [1, 2, 3, 4, 5, 6, 7, 8]),
  SharedArrayBuffer: (c) => {
    const record = c.every('sharedArrayBuffer', K.SharedArrayBuffer);
    assert.deepEqual([...record.bytes], [0, 0, 0, 0]);
    common(globalPrototype('SharedArrayBuffer'))(c, record);
  },
  TypedArray: (c) => {
    const { type, buffer, byteOffset, length } = c.every('typedArray', K.TypedArray);
    assert.deepEqual(
      { type, buffer, byteOffset, length },
      {
        type: 'Uint16Array',
        buffer: c.ref('arrayBuffer'),
        byteOffset: 2,
        length: 3,
      },
    );
  },
  DataView: (c) => {
    const { buffer, byteOffset, byteLength } = c.every('dataView', K.DataView);
    assert.deepEqual(
      { buffer, byteOffset, byteLength },
      { buffer: c.ref('arrayBuffer'), byteOffset: 1, byteLength: 4 },
    );
  },
  Symbol: (c) => {
    assert.deepEqual(c.every('symbol', K.Symbol), { kind: K.Symbol, form: 0, text: 'described' });
    assert.deepEqual(c.every('registeredSymbol', K.Symbol), { kind: K.Symbol, form: 1, text: 'registered' });
    assert.deepEqual(c.every('anonymousSymbol', K.Symbol), { kind: K.Symbol, form: 2, text: '' });
  },
  Boxed: (c) => {
    const number = c.every('boxed', K.Boxed);
    assert.deepEqual([number.type, number.value], ['Number', 42]);
    common(globalPrototype('Number'))(c, number);
    const string = c.every('boxedString', K.Boxed);
    // A boxed string's index keys and length come with its value, not as properties.
    assert.deepEqual([string.type, string.value, string.props], ['String', 'ab', []]);
  },
  Promise: (c) => {
    const settled = c.every('promise', K.Promise);
    assert.deepEqual([settled.state, settled.result, settled.reactions], [1, 'settled', []]);
    const pending = c.every('pending', K.Promise);
    assert.equal(pending.state, 0);
    // Registered first: `pending.then(...)`, whose promise is `derived`; then Promise.all's element 0.
    assert.equal(pending.reactions.length, 2);
    c.at(pending.reactions[0].onFulfilled, K.Function);
    assert.deepEqual([pending.reactions[0].onRejected, pending.reactions[0].derived], [undefined, c.ref('derived')]);
  },
  PromiseResolver: (c) => {
    assert.deepEqual(c.every('promiseResolver', K.PromiseResolver), {
      kind: K.PromiseResolver,
      promise: c.ref('pending'),
      reject: false,
    });
    const rejecter = c.every('promiseRejecter', K.PromiseResolver);
    assert.equal(rejecter.reject, true);
    assert.equal(c.at(rejecter.promise, K.Promise).state, 0);
  },
  PromiseCombinatorElement: (c) => {
    // `second`, the promise promiseRejecter rejects, is Promise.all's input 1.
    const second = c.at(c.every('promiseRejecter', K.PromiseResolver).promise, K.Promise);
    const [reaction] = second.reactions;
    const element = c.at(reaction.onFulfilled, K.PromiseCombinatorElement);
    assert.deepEqual([element.combinator, element.index], [Combinator.All, 1]);
    const group = c.at(element.group, K.Object);
    assert.deepEqual(
      group.props.map((p) => p.key),
      ['values', 'resolve', 'reject'],
    );
    assert.deepEqual(c.at(reaction.onRejected, K.PromiseResolver).promise, c.ref('all'));
  },
  CoreStream: (c) => {
    const record = c.every('coreStream', K.CoreStream);
    assert.equal(c.builtin(record.streamClass), builtinPath('module:stream', 'PassThrough'));
    assert.ok(record.props.some((p) => p.key === '_readableState'));
  },
  FileWriteStream: (c) => {
    const { kind, fd, listeners, ...rest } = c.every('fileWriteStream', K.FileWriteStream);
    assert.equal(kind, K.FileWriteStream);
    assert.ok(Number.isInteger(fd) && fd > 2, `fd ${fd}`);
    assert.deepEqual(rest, {
      path: 'every-record-kind.log',
      flags: 'w',
      mode: 0o666,
      pos: undefined,
      bytesWritten: 0,
      autoClose: true,
    });
    assert.equal(listeners[0], 'ready');
    c.at(listeners[1], K.Function);
  },
  Generator: (c) => {
    const suspended = c.every('generator', K.Generator);
    assert.deepEqual([suspended.state, suspended.async, suspended.receiver], [1, false, undefined]);
    assert.equal(c.builtin(c.at(suspended.proto, K.Object).proto), 'intrinsic:Generator');
    const finished = c.every('finishedGenerator', K.Generator);
    assert.deepEqual([finished.state, finished.async], [0, true]);
  },
  Proxy: (c) => {
    const proxy = c.every('proxy', K.Proxy);
    assert.deepEqual([proxy.revoked, proxy.callable], [false, false]);
    assert.deepEqual(c.at(proxy.target, K.Object).props, [{ key: 'target', flags: A.Default, value: true }]);
    c.at(proxy.handler, K.Object);
    assert.deepEqual(c.every('revokedProxy', K.Proxy), {
      kind: K.Proxy,
      target: null,
      handler: null,
      revoked: true,
      callable: true,
    });
  },
  ProxyRevoke: (c) => assert.equal(c.at(c.every('proxyRevoke', K.ProxyRevoke).proxy, K.Proxy).revoked, false),
  CollectionIterator: (c) => {
    const { flags, collection, steps } = c.every('collectionIterator', K.CollectionIterator);
    // entries() of a Map (no flag), one step taken.
    assert.deepEqual({ flags, collection, steps }, { flags: 0, collection: c.ref('map'), steps: 1 });
  },
  FileHandle: (c) => {
    const { fd, props } = c.every('fileHandle', K.FileHandle);
    assert.ok(Number.isInteger(fd) && (fd as number) > 2, `fd ${String(fd)}`);
    // Its emitter's own state travels; what its class makes (its native handle, its close) does not.
    assert.deepEqual(
      props.filter((p) => typeof p.key === 'string').map((p) => p.key),
      ['_events', '_eventsCount', '_maxListeners'],
    );
  },
  EventIterator: (c) => {
    const iterator = c.every('eventIterator', K.NodeFactory);
    assert.equal(iterator.path, replicaPath('eventIterator'));
    const { emitter, event, flags, lowWatermark, highWatermark, error, closeEvents, buffered, pending } = c.at(
      iterator.args[0],
      K.EventIterator,
    );
    assert.deepEqual(
      { emitter, event, flags, lowWatermark, highWatermark, error, closeEvents, pending },
      {
        emitter: c.ref('emitter'),
        event: 'tick',
        flags: 0,
        lowWatermark: 1,
        highWatermark: Number.MAX_SAFE_INTEGER,
        error: null,
        closeEvents: ['end'],
        pending: [],
      },
    );
    assert.deepEqual(
      buffered.map((slot) => c.at(slot, K.Array).elements),
      [[1, 'a']],
    );
    // The other one waits for an event: its next() call's promise.
    const waiting = c.at(c.every('waitingEventIterator', K.NodeFactory).args[0], K.EventIterator);
    assert.deepEqual(waiting.pending, [c.ref('eventRequest')]);
  },
  WasmModule: (c) => {
    const { bytes } = c.every('wasmModule', K.WasmModule);
    assert.deepEqual([...bytes.subarray(0, 8)], [0, 97, 115, 109, 1, 0, 0, 0]);
    assert.equal(bytes.length, 99);
  },
  WasmInstance: (c) => {
    const { module, imports, state } = c.every('wasmInstance', K.WasmInstance);
    assert.deepEqual(module, c.ref('wasmModule'));
    assert.deepEqual(imports, [{ module: 'env', name: 'log', value: c.ref('function') }]);
    assert.deepEqual(state, [c.ref('wasmMemory'), c.ref('wasmTable'), c.ref('wasmGlobal')]);
    assert.deepEqual(c.every('wasmInstance', K.WasmInstance).globals, []);
  },
  WasmExports: (c) => assert.deepEqual(c.every('wasmExports', K.WasmExports).instance, c.ref('wasmInstance')),
  WasmFunction: (c) => {
    const { instance, name, index } = c.every('wasmFunction', K.WasmFunction);
    assert.deepEqual({ instance, name, index }, { instance: c.ref('wasmInstance'), name: 'run', index: -1 });
  },
  WasmMemory: (c) => {
    const { instance, name, bytes } = c.every('wasmMemory', K.WasmMemory);
    assert.deepEqual(
      { instance, name, length: bytes.length },
      { instance: c.ref('wasmInstance'), name: 'mem', length: 65536 },
    );
  },
  WasmMemoryBuffer: (c) =>
    assert.deepEqual(c.every('wasmMemoryBuffer', K.WasmMemoryBuffer).memory, c.ref('wasmMemory')),
  WasmTable: (c) => {
    const { instance, name, length, changes } = c.every('wasmTable', K.WasmTable);
    assert.deepEqual(
      { instance, name, length, changes },
      {
        instance: c.ref('wasmInstance'),
        name: 'table',
        length: 2,
        changes: [{ index: 1, value: c.ref('wasmFunction') }],
      },
    );
  },
  WasmGlobal: (c) => {
    const { instance, name, value } = c.every('wasmGlobal', K.WasmGlobal);
    assert.deepEqual({ instance, name, value }, { instance: c.ref('wasmInstance'), name: 'global', value: 7 });
  },
  BoundFunction: (c) => {
    const record = c.every('boundFunction', K.BoundFunction);
    assert.deepEqual([record.target, record.boundThis, record.args], [c.ref('function'), null, ['bound']]);
    assert.equal(c.prop(c.ref('boundFunction').id, 'name'), 'bound greet');
  },
  Context: (c) => {
    const context = c.at(c.every('function', K.Function).context, K.Context);
    assert.equal(context.parent, null);
    assert.equal(context.values[context.names.indexOf('prefix')], 'hello ');
    assert.deepEqual(context.values[context.names.indexOf('greet')], c.ref('function'));
  },
  Timer: (c) => {
    const { callback, remaining, ...rest } = c.every('timer', K.Timer);
    c.at(callback, K.Function);
    assert.ok(remaining > 0 && remaining <= 1e9, `remaining ${remaining}`);
    assert.deepEqual(rest, {
      kind: K.Timer,
      args: [],
      duration: 1e9,
      repeat: 1e9,
      refed: true,
      cleared: false,
      running: false,
    });
  },
  Immediate: (c) => {
    const immediates = c.at(c.prop(c.rootId, 'immediates'), K.Array);
    assert.deepEqual(c.at(immediates.elements![0], K.Immediate), {
      kind: K.Immediate,
      callback: c.ref('function'),
      args: ['immediate'],
      refed: true,
      running: false,
    });
  },
  Server: (c) => {
    const record = c.every('server', K.Server);
    assert.equal(c.builtin(record.proto), builtinPath('module:net', 'Server', 'prototype'));
    assert.equal(record.address, '127.0.0.1');
    assert.ok(typeof record.port === 'number' && record.port > 0, `port ${String(record.port)}`);
    assert.deepEqual(record.settings.slice(0, 2), ['allowHalfOpen', false]);
  },
  Socket: (c) => {
    const { kind, server, timeout, encoding, unread, listeners, refed, paused, allowHalfOpen, serverParser, ...rest } =
      c.every('socket', K.Socket);
    assert.equal(kind, K.Socket);
    assert.deepEqual(
      { server, timeout, encoding, unread, refed, paused, allowHalfOpen, serverParser },
      {
        server: null,
        timeout: 60000,
        encoding: 'utf8',
        unread: 'unread line\n',
        refed: true,
        paused: true,
        allowHalfOpen: false,
        serverParser: false,
      },
    );
    assert.equal(listeners[0], 'end');
    assert.match(c.sites[c.at(listeners[1], K.Function).site].source, /^function peerEnded/);
    assert.equal(c.builtin(rest.proto), builtinPath('module:net', 'Socket', 'prototype'));
    assert.deepEqual(rest.props, [{ key: 'tag', flags: A.Default, value: 'mine' }]);
  },
  Module: (c) => {
    const record = c.every('module', K.Module);
    assert.match(record.filename as string, /\/every-record-kind\.js$/);
    assert.equal(c.prop(c.ref('module').id, 'id'), '.');
    assert.equal(c.prop(c.ref('module').id, 'loaded'), true);
  },
  Require: (c) => assert.deepEqual(c.every('require', K.Require).module, c.ref('module')),
  NodeFactory: (c) =>
    assert.deepEqual(c.every('nodeFactory', K.NodeFactory), {
      kind: K.NodeFactory,
      path: replicaPath('newURL'),
      args: ['https://example.com/path'],
    }),
  Privates: (c) => {
    const record = c.every('privates', K.Object);
    assert.deepEqual(record.privates, [{ name: '#secret', value: 'kept' }]);
    const prototype = c.at(record.proto, K.Object);
    assert.deepEqual(
      prototype.props.map((p) => p.key),
      ['constructor', 'reveal'],
    );
  },
};

/** For each value tag, a slot of the fixture's `every.values` (or `every.array`) that must hold it. */
const VALUE_CASES: Record<keyof typeof V, Case> = {
  Undefined: (c) => assert.equal(c.prop(c.ref('values').id, 'u'), undefined),
  Null: (c) => assert.equal(c.prop(c.ref('values').id, 'n'), null),
  False: (c) => assert.equal(c.prop(c.ref('values').id, 'f'), false),
  True: (c) => assert.equal(c.prop(c.ref('values').id, 't'), true),
  Int: (c) => assert.equal(c.prop(c.ref('values').id, 'i'), -7),
  Double: (c) => assert.equal(c.prop(c.ref('values').id, 'd'), 1.5),
  String: (c) => assert.equal(c.prop(c.ref('values').id, 's'), 'text'),
  Ref: (c) => assert.deepEqual(c.at(c.prop(c.ref('values').id, 'r'), K.Object).props, []),
  Hole: (c) => assert.equal(c.every('array', K.Array).elements![1], HOLE),
  BigInt: (c) => assert.equal(c.prop(c.ref('values').id, 'b'), 12345678901234567890n),
};

/** The member names of an enum of tags.ts, read from its source (const enums leave no object behind). */
function enumMembers(name: string): string[] {
  const source = ts.createSourceFile(TAGS, readFileSync(TAGS, 'utf8'), ts.ScriptTarget.Latest);
  const declaration = source.statements.find((s) => ts.isEnumDeclaration(s) && s.name.text === name);
  assert.ok(declaration && ts.isEnumDeclaration(declaration), `no enum ${name} in tags.ts`);
  return declaration.members.map((m) => m.name.getText(source));
}

describe('heap codec: one record of every kind, captured by the agent', { timeout: 60_000 }, () => {
  let captured: Captured;
  before(async () => {
    captured = await captureFixture();
  });

  it('has a case for every record kind and every value tag of tags.ts', () => {
    assert.deepEqual(Object.keys(KIND_CASES).sort(), enumMembers('K').sort());
    assert.deepEqual(Object.keys(VALUE_CASES).sort(), enumMembers('V').sort());
  });

  it('re-encoded, the records give the bytes the agent wrote', () => {
    assert.ok(
      Buffer.from(captured.heap).equals(encodeHeap(captured.records, captured.strings)),
      'the re-encoded heap section differs',
    );
  });

  it('encoded with a string table of their own, the records decode to themselves', () => {
    assert.deepEqual(decodeHeap(encodeHeap(captured.records), toText), captured.records);
  });

  describe('record kinds', () => {
    for (const [name, check] of Object.entries(KIND_CASES)) it(`K.${name}`, () => check(captured));
  });
  describe('value tags', () => {
    for (const [name, check] of Object.entries(VALUE_CASES)) it(`V.${name}`, () => check(captured));
  });
});
