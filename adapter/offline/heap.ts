// Browsing a checkpoint's heap records as DAP variables, from the root record down (modules,
// globals, timers, servers, process listeners). Read-only, and no code of the checkpoint runs:
// every value is rendered from the records.
import type { DebugProtocol } from '@vscode/debugprotocol';
import { K } from '../../snapshot/heap/tags';
import { readablePath } from '../../snapshot/heap/builtins';
import type { SourceEntry, FunctionSite } from '../../snapshot/format/sections';
import { HOLE, Ref, type HeapRecord, type RecordOf, type Slot } from '../../snapshot/heap/decoder';

/** Variable references: record id + 1 (0 means "no children"). */
const refOf = (id: number) => id + 1;

export class HeapBrowser {
  constructor(
    private readonly records: HeapRecord[],
    private readonly sites: FunctionSite[],
    private readonly sources: SourceEntry[],
  ) {}

  /** The variables reference of record `id`, for scopes. */
  reference(id: number): number {
    return refOf(id);
  }

  children(reference: number): DebugProtocol.Variable[] {
    const record = this.records[reference - 1];
    if (!record) throw new Error(`no object ${reference - 1} in this checkpoint`);
    return this.entries(record).map(([name, slot]) => this.variable(name, slot));
  }

  variable(name: string, slot: Slot): DebugProtocol.Variable {
    if (!(slot instanceof Ref))
      return { name, value: renderPrimitive(slot), variablesReference: 0, type: slot === HOLE ? 'hole' : typeof slot };
    const record = this.records[slot.id];
    return {
      name,
      value: record ? this.describe(record) : `<object ${slot.id}: missing>`,
      variablesReference: record && this.entries(record).length ? refOf(slot.id) : 0,
      type: record ? kindName(record.kind) : undefined,
    };
  }

  private describe(record: HeapRecord): string {
    switch (record.kind) {
      case K.Builtin:
        return `<builtin ${record.path}>`;
      case K.NodeFactory:
        return `<made by ${readablePath(record.path)}>`;
      case K.Array:
        return `Array(${record.length})`;
      case K.Function:
        return `ƒ ${this.functionHead(record)}`;
      case K.Date:
        return new Date(record.time).toISOString();
      case K.RegExp:
        return `/${record.source}/${record.flags}`;
      case K.Map:
      case K.Set:
      case K.WeakMap:
      case K.WeakSet:
        return `${kindName(record.kind)}(${record.kind === K.Map || record.kind === K.WeakMap ? record.entries.length / 2 : record.entries.length})`;
      case K.Symbol:
        return `Symbol(${record.text})`;
      case K.Promise:
        return `Promise {<${['pending', 'fulfilled', 'rejected'][record.state] ?? record.state}>}`;
      case K.Generator:
        return `${record.async ? 'AsyncGenerator' : 'Generator'} {<${['closed', 'suspended', 'running'][record.state]}>}`;
      case K.PromiseResolver:
        return record.reject ? 'ƒ reject (of a pending promise)' : 'ƒ resolve (of a pending promise)';
      case K.ProxyRevoke:
        return record.proxy === null ? 'ƒ revoke (spent)' : 'ƒ revoke (of a proxy)';
      case K.PromiseCombinatorElement:
        return `ƒ element ${record.index} (of a ${['Promise.all', 'Promise.allSettled', 'Promise.allSettled', 'Promise.any'][record.combinator]})`;
      case K.Timer:
        return record.cleared
          ? `${record.repeat ? 'Interval' : 'Timeout'} (cleared)`
          : `${record.repeat ? 'Interval' : 'Timeout'} (${Math.round(record.remaining)} ms left${record.repeat ? `, every ${record.repeat} ms` : ''}${record.refed ? '' : ', unref'})`;
      case K.Server:
        return `Server ${renderPrimitive(record.address)}:${renderPrimitive(record.port)}`;
      case K.FileWriteStream:
        return `WriteStream ${renderPrimitive(record.path)} (fd ${record.fd}, ${record.bytesWritten} bytes written)`;
      case K.Module:
        return `Module ${renderPrimitive(record.filename)}`;
      case K.Context:
        return `Closure ${record.description}`;
      case K.TypedArray:
        return `${record.type}(${record.length})`;
      default:
        return kindName(record.kind);
    }
  }

  private functionHead(record: Extract<HeapRecord, { kind: K.Function }>): string {
    const site = this.sites[record.site];
    return site ? site.source.split('\n')[0].slice(0, 80) : '<unknown function>';
  }

  /** The named slots shown under a record: its own data first, then its properties and prototype. */
  private entries(record: HeapRecord): Array<[string, Slot]> {
    const own = OWN_SLOTS[record.kind] as
      ((record: HeapRecord, browser: HeapBrowser) => Array<[string, Slot]>) | undefined;
    const out = own ? own(record, this) : [];
    if ('props' in record)
      for (const p of record.props)
        out.push([p.key instanceof Ref ? this.variable('', p.key).value : p.key, p.value ?? p.get]);
    if ('privates' in record) for (const p of record.privates ?? []) out.push([p.name, p.value]);
    if ('proto' in record && record.proto instanceof Ref && this.records[record.proto.id]?.kind !== K.Builtin)
      out.push(['[[Prototype]]', record.proto]);
    return out;
  }

  /** Where a function's text starts, as `url:line:column`. */
  functionLocation(record: RecordOf<K.Function>): string | undefined {
    const site = this.sites[record.site];
    const url = site && this.sources.find((s) => s.scriptId === site.scriptId)?.url;
    return site && `${url ?? site.scriptId}:${site.line + 1}:${site.column + 1}`;
  }
}

type OwnSlots = { [T in HeapRecord['kind']]?: (record: RecordOf<T>, browser: HeapBrowser) => Array<[string, Slot]> };

const indexed = (prefix: string, items: Slot[]): Array<[string, Slot]> =>
  items.map((item, i) => [`${prefix}[${i}]`, item]);
const listeners = (record: { listeners: Slot[] }): Array<[string, Slot]> =>
  record.listeners.map((l, i) => [`listener ${i}`, l]);

/** What each kind shows of its own before its properties (internal slots in [[brackets]], as V8's inspector names them). */
const OWN_SLOTS: OwnSlots = {
  [K.Array]: (record) =>
    (record.elements ?? []).flatMap((v, i): Array<[string, Slot]> => (v === HOLE ? [] : [[String(i), v]])),
  [K.Map]: (record, browser) => pairs(record.entries, browser),
  [K.WeakMap]: (record, browser) => pairs(record.entries, browser),
  [K.Set]: (record) => record.entries.map((v, i) => [String(i), v]),
  [K.WeakSet]: (record) => record.entries.map((v, i) => [String(i), v]),
  [K.Function]: (record, browser) => {
    const location = browser.functionLocation(record);
    return [
      ...(location ? [['[[FunctionLocation]]', location] as [string, Slot]] : []),
      ['[[Scopes]]', record.context],
    ];
  },
  [K.Context]: (record) => [
    ...record.names.map((n, i): [string, Slot] => [n, record.values[i]]),
    ['[[Parent]]', record.parent],
  ],
  [K.Promise]: (record) => [
    ['[[PromiseResult]]', record.result],
    ...record.reactions.flatMap((r, i): Array<[string, Slot]> => [
      [`[[Reaction ${i}]] onFulfilled`, r.onFulfilled],
      [`[[Reaction ${i}]] onRejected`, r.onRejected],
    ]),
  ],
  [K.PromiseResolver]: (record) => [['[[Promise]]', record.promise]],
  [K.PromiseCombinatorElement]: (record) => [['[[Combinator]]', record.group]],
  [K.Generator]: (record) => [['[[GeneratorReceiver]]', record.receiver]],
  [K.Proxy]: (record) => [
    ['[[Target]]', record.target],
    ['[[Handler]]', record.handler],
    ['[[IsRevoked]]', record.revoked],
  ],
  [K.ProxyRevoke]: (record) => [['[[RevocableProxy]]', record.proxy]],
  [K.CollectionIterator]: (record) => [
    ['[[IteratedCollection]]', record.collection],
    ['[[Steps]]', record.steps],
  ],
  [K.BoundFunction]: (record) => [
    ['[[TargetFunction]]', record.target],
    ['[[BoundThis]]', record.boundThis],
    ...indexed('[[BoundArgs]]', record.args),
  ],
  [K.Timer]: (record) => [['callback', record.callback], ...indexed('args', record.args)],
  [K.Immediate]: (record) => [['callback', record.callback], ...indexed('args', record.args)],
  [K.Server]: listeners,
  [K.FileWriteStream]: listeners,
  [K.Boxed]: (record) => [['[[PrimitiveValue]]', record.value]],
  [K.Require]: (record) => [['module', record.module]],
  [K.NodeFactory]: (record) => indexed('[[FactoryArgs]]', record.args),
};

/** A Map's entries, each named by its key as rendered. */
function pairs(entries: Slot[], browser: HeapBrowser): Array<[string, Slot]> {
  const out: Array<[string, Slot]> = [];
  for (let i = 0; i + 1 < entries.length; i += 2)
    out.push([`{${browser.variable('', entries[i]).value}}`, entries[i + 1]]);
  return out;
}

function renderPrimitive(value: unknown): string {
  if (value === HOLE) return '<hole>';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  return String(value);
}

function kindName(kind: K): string {
  const names: Record<number, string> = {
    [K.Object]: 'Object',
    [K.Array]: 'Array',
    [K.Function]: 'Function',
    [K.Builtin]: 'Builtin',
    [K.Date]: 'Date',
    [K.RegExp]: 'RegExp',
    [K.Error]: 'Error',
    [K.Map]: 'Map',
    [K.Set]: 'Set',
    [K.WeakMap]: 'WeakMap',
    [K.WeakSet]: 'WeakSet',
    [K.ArrayBuffer]: 'ArrayBuffer',
    [K.TypedArray]: 'TypedArray',
    [K.DataView]: 'DataView',
    [K.Symbol]: 'Symbol',
    [K.Boxed]: 'Boxed',
    [K.Promise]: 'Promise',
    [K.Proxy]: 'Proxy',
    [K.BoundFunction]: 'BoundFunction',
    [K.Context]: 'Context',
    [K.Timer]: 'Timer',
    [K.Immediate]: 'Immediate',
    [K.Server]: 'Server',
    [K.FileWriteStream]: 'WriteStream',
    [K.Module]: 'Module',
    [K.Require]: 'require',
    [K.PromiseResolver]: 'Function',
    [K.PromiseCombinatorElement]: 'Function',
    [K.ProxyRevoke]: 'Function',
    [K.CollectionIterator]: 'Iterator',
    [K.Generator]: 'Generator',
    [K.SharedArrayBuffer]: 'SharedArrayBuffer',
    [K.NodeFactory]: 'Node object',
    [K.CoreStream]: 'Stream',
  };
  return names[kind] ?? `kind ${kind}`;
}
