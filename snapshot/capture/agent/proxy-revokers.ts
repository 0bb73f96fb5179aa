// The revoke function of Proxy.revocable is a V8 builtin closure: its context holds its proxy until
// it is called, then nothing. JS cannot see that link; the heap snapshot can.
import type { HeapGraphSource } from './heap-graph';
import type { Introspector } from './inspector';
import type { ProgramFunction } from '../../heap/program-value';

const REVOKE_CODE = /^\(ProxyRevoke builtin/;

export class ProxyRevokers {
  /** Heap id of every revoke function in the snapshot, to its proxy's heap id (undefined once it has revoked it). */
  private revokers: Map<number, number | undefined> | undefined;

  constructor(
    private readonly introspector: Introspector,
    private readonly graph: HeapGraphSource,
  ) {}

  /** For a revoke function of Proxy.revocable: the proxy it revokes, or null once it has; undefined for any other function. */
  proxyOf(fn: ProgramFunction): { proxy: object | null } | undefined {
    const [id] = this.introspector.heapIds([fn]);
    this.revokers ??= this.read();
    if (!this.revokers.has(id)) return undefined;
    const proxyId = this.revokers.get(id);
    return { proxy: proxyId === undefined ? null : (this.introspector.objectByHeapId(proxyId) as object) };
  }

  private read(): Map<number, number | undefined> {
    const g = this.graph('revocable proxies');
    const out = new Map<number, number | undefined>();
    for (const { heapId, context } of g.closuresRunning(REVOKE_CODE)) {
      const proxy = context === undefined ? undefined : g.edges(context).find((e) => e.toName === 'system / JSProxy');
      out.set(heapId, proxy?.to);
    }
    return out;
  }
}
