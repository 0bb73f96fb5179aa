// Browsing a checkpoint's heap records as DAP variables, from the root record down (modules,
// globals, timers, servers, process listeners). Read-only, and no code of the checkpoint runs:
// every value is rendered from the records.
import type { DebugProtocol } from '@vscode/debugprotocol';
import { K } from '../../snapshot/heap/tags';
import { readablePath } from '../../snapshot/heap/builtins';
import type { SourceEntry, FunctionSite } from '../../snapshot/format/sections';
import { HOLE, Ref, type HeapRecord, type Slot } from '../../snapshot/heap/decoder';

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
    const out: Array<[string, Slot]> = [];
    switch (record.kind) {
      case K.Array:
        (record.elements ?? []).forEach((v, i) => {
          if (v !== HOLE) out.push([String(i), v]);
        });
        break;
      case K.Map:
      case K.WeakMap:
        for (let i = 0; i + 1 < record.entries.length; i += 2)
          out.push([`{${this.variable('', record.entries[i]).value}}`, record.entries[i + 1]]);
        break;
      case K.Set:
      case K.WeakSet:
        record.entries.forEach((v, i) => out.push([String(i), v]));
        break;
      case K.Function: {
        const site = this.sites[record.site];
        const url = site && this.sources.find((s) => s.scriptId === site.scriptId)?.url;
        if (site) out.push(['[[FunctionLocation]]', `${url ?? site.scriptId}:${site.line + 1}:${site.column + 1}`]);
        out.push(['[[Scopes]]', record.context]);
        break;
      }
      case K.Context:
        record.names.forEach((n, i) => out.push([n, record.values[i]]));
        out.push(['[[Parent]]', record.parent]);
        break;
      case K.Promise:
        out.push(['[[PromiseResult]]', record.result]);
        record.reactions.forEach((r, i) =>
          out.push([`[[Reaction ${i}]] onFulfilled`, r.onFulfilled], [`[[Reaction ${i}]] onRejected`, r.onRejected]),
        );
        break;
      case K.PromiseResolver:
        out.push(['[[Promise]]', record.promise]);
        break;
      case K.PromiseCombinatorElement:
        out.push(['[[Combinator]]', record.group]);
        break;
      case K.Generator:
        out.push(['[[GeneratorReceiver]]', record.receiver]);
        break;
      case K.Proxy:
        out.push(['[[Target]]', record.target], ['[[Handler]]', record.handler], ['[[IsRevoked]]', record.revoked]);
        break;
      case K.ProxyRevoke:
        out.push(['[[RevocableProxy]]', record.proxy]);
        break;
      case K.CollectionIterator:
        out.push(['[[IteratedCollection]]', record.collection], ['[[Steps]]', record.steps]);
        break;
      case K.BoundFunction:
        out.push(['[[TargetFunction]]', record.target], ['[[BoundThis]]', record.boundThis]);
        record.args.forEach((a, i) => out.push([`[[BoundArgs]][${i}]`, a]));
        break;
      case K.Timer:
      case K.Immediate:
        out.push(['callback', record.callback]);
        record.args.forEach((a, i) => out.push([`args[${i}]`, a]));
        break;
      case K.Server:
      case K.FileWriteStream:
        record.listeners.forEach((l, i) => out.push([`listener ${i}`, l]));
        break;
      case K.Boxed:
        out.push(['[[PrimitiveValue]]', record.value]);
        break;
      case K.Require:
        out.push(['module', record.module]);
        break;
      case K.NodeFactory:
        record.args.forEach((a, i) => out.push([`[[FactoryArgs]][${i}]`, a]));
        break;
      default:
        break;
    }
    if ('props' in record)
      for (const p of record.props)
        out.push([p.key instanceof Ref ? this.variable('', p.key).value : p.key, p.value ?? p.get]);
    if ('privates' in record) for (const p of record.privates ?? []) out.push([p.name, p.value]);
    if ('proto' in record && record.proto instanceof Ref && this.records[record.proto.id]?.kind !== K.Builtin)
      out.push(['[[Prototype]]', record.proto]);
    return out;
  }
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
