// The questions only a heap snapshot answers: which closures share a context, what a context
// holds that the scope view leaves out (an arrow function's lexical `this`), and what a pending
// promise will run when it settles (its reactions). A snapshot costs time in proportion to the
// whole heap, so the agent takes one only when it must, and one at most.
import type { ParsedSnapshot } from './heap-snapshot-stream';

export interface HeapGraph {
  /** Context node ids of a closure, innermost first (the native context excluded). */
  contextChain(closureHeapId: number): number[] | undefined;
  /** The heap id of a context slot's value, for slots holding objects. */
  contextSlot(contextHeapId: number, name: string): number | undefined;
  /**
   * The iterators of the for-of loops a suspended generator or async function is inside: in its
   * saved registers, each loop keeps its `next` method and, in the next register, its iterator.
   * Outermost loop first (registers are allocated in nesting order).
   */
  loopIterators(generatorHeapId: number): number[];
  /** The first plain object a context holds in an unnamed slot (an object literal's home object). */
  hiddenObject(contextHeapId: number): number | undefined;
  /** Names of a context's named slots that hold heap objects (small integers have no edge). */
  contextSlotNames(contextHeapId: number): string[];
  /**
   * A context's unnamed slots that may hold variables: V8 names the slots of a function's context
   * only, not those of a block's or a class's. Each with its value's heap id, and its closure's
   * name when it holds one (a class scope's binding of the class is named after its class; private
   * methods, #x, and private names are not variables and are left out).
   */
  unnamedContextSlots(contextHeapId: number): Array<{ heapId: number; closureName?: string }>;
  /** Ids of the nodes with this name (a class name for objects, "system / ..." for internals). */
  nodesNamed(name: string): number[];
  /** The closures whose code is a builtin matching `code`, with that code's name and their context. */
  closuresRunning(code: RegExp): Array<{ heapId: number; code: string; context: number | undefined }>;
  /** Where a function's code starts (as [[FunctionLocation]] gives it), from the snapshot's locations. */
  location(closureHeapId: number): { scriptId: string; lineNumber: number; columnNumber: number } | undefined;
  /** A node's own size in bytes (for an internal array: its header and its slots). */
  selfSize(heapId: number): number;
  /**
   * The text of a string node when the snapshot holds all of it: a flat string shorter than V8's
   * limit on the names it records (1024), with no character it could not write (U+FFFD).
   */
  stringValue(heapId: number): string | undefined;
  /** A node's outgoing edges: named ones by name, element and hidden ones by index. */
  edges(heapId: number): Array<{ name: string | number; to: number; toName: string }>;
  /** A node's name (a function's, an object's class) and type (closure, object...). */
  node(heapId: number): { name: string; type: string } | undefined;
  /** The nodes with an edge to this one, and that edge's name (a scan of every edge). */
  retainers(heapId: number): Array<{ from: number; name: string | number }>;
  /**
   * The closure contexts the stack holds, with the contexts around them: those of the functions
   * its frames run and the contexts they entered (the snapshot's stack roots).
   */
  stackContexts(): Set<number>;
}

/** The heap snapshot's graph, taken on first use; `why` names what needs it (shown in the capture's timings). */
export type HeapGraphSource = (why: string) => HeapGraph;

export function heapGraphOf(snapshot: ParsedSnapshot): HeapGraph {
  return new SnapshotGraph(snapshot);
}

/** How the snapshot names a closure context (a function's, a block's, a module's...). */
const CONTEXT_NAME = /^system \/ \w*Context$/;

type OutEdge = { type: string; name: string | number; to: number };

/**
 * The snapshot's flat arrays, read in place: a node is the index of its first field in `nodes`,
 * its edges the run of `edges` that starts at firstEdge[node / nodeFields].
 */
class SnapshotGraph implements HeapGraph {
  private readonly nodes: ParsedSnapshot['nodes'];
  private readonly edgeArray: ParsedSnapshot['edges'];
  private readonly strings: ParsedSnapshot['strings'];
  private readonly locations: ParsedSnapshot['locations'];
  private readonly nodeTypes: string[];
  private readonly edgeTypes: string[];
  private readonly nodeFields: number;
  private readonly edgeFields: number;
  private readonly field: Record<'id' | 'name' | 'size' | 'edgeCount' | 'type', number>;
  private readonly edgeField: Record<'type' | 'name' | 'to', number>;
  private readonly types: Record<'closure' | 'object' | 'string', number>;
  private readonly locationFields: string[];
  private locationByNode: Map<number, number> | undefined;
  private readonly indexById = new Map<number, number>();
  private readonly firstEdge: Int32Array;

  constructor(snapshot: ParsedSnapshot) {
    const { meta } = snapshot;
    ({ nodes: this.nodes, edges: this.edgeArray, strings: this.strings, locations: this.locations } = snapshot);
    this.nodeTypes = meta.node_types[0];
    this.edgeTypes = meta.edge_types[0];
    this.nodeFields = meta.node_fields.length;
    this.edgeFields = meta.edge_fields.length;
    const nodeField = (name: string) => meta.node_fields.indexOf(name);
    this.field = {
      id: nodeField('id'),
      name: nodeField('name'),
      size: nodeField('self_size'),
      edgeCount: nodeField('edge_count'),
      type: nodeField('type'),
    };
    this.edgeField = {
      type: meta.edge_fields.indexOf('type'),
      name: meta.edge_fields.indexOf('name_or_index'),
      to: meta.edge_fields.indexOf('to_node'),
    };
    this.types = {
      closure: this.nodeTypes.indexOf('closure'),
      object: this.nodeTypes.indexOf('object'),
      string: this.nodeTypes.indexOf('string'),
    };
    this.locationFields = meta.location_fields ?? ['object_index', 'script_id', 'line', 'column'];
    this.firstEdge = new Int32Array(this.nodes.length / this.nodeFields + 1);
    for (let node = 0, edge = 0; node < this.nodes.length; node += this.nodeFields) {
      this.indexById.set(this.nodes[node + this.field.id], node);
      this.firstEdge[node / this.nodeFields] = edge;
      edge += this.nodes[node + this.field.edgeCount] * this.edgeFields;
    }
  }

  contextChain(closureHeapId: number): number[] | undefined {
    const closure = this.indexById.get(closureHeapId);
    if (closure === undefined) return undefined;
    const chain: number[] = [];
    for (
      let ctx = this.edgeTo(closure, 'context');
      ctx !== undefined && !this.isNativeContext(ctx);
      ctx = this.edgeTo(ctx, 'previous')
    ) {
      chain.push(this.idOf(ctx));
      if (chain.length > 10000) return undefined; // a cycle would be a damaged snapshot
    }
    return chain;
  }

  nodesNamed(name: string): number[] {
    const out: number[] = [];
    for (let node = 0; node < this.nodes.length; node += this.nodeFields)
      if (this.nameOf(node) === name) out.push(this.idOf(node));
    return out;
  }

  closuresRunning(code: RegExp): Array<{ heapId: number; code: string; context: number | undefined }> {
    const codes = new Set<number>();
    for (let node = 0; node < this.nodes.length; node += this.nodeFields)
      if (code.test(this.nameOf(node))) codes.add(node);
    const out: Array<{ heapId: number; code: string; context: number | undefined }> = [];
    if (codes.size === 0) return out;
    for (let node = 0; node < this.nodes.length; node += this.nodeFields) {
      if (!this.isClosure(node)) continue;
      const target = this.edgeTo(node, 'code');
      if (target === undefined || !codes.has(target)) continue;
      const context = this.edgeTo(node, 'context');
      out.push({
        heapId: this.idOf(node),
        code: this.nameOf(target),
        context: context === undefined ? undefined : this.idOf(context),
      });
    }
    return out;
  }

  location(closureHeapId: number): { scriptId: string; lineNumber: number; columnNumber: number } | undefined {
    const node = this.indexById.get(closureHeapId);
    if (node === undefined) return undefined;
    const fields = this.locationFields;
    if (!this.locationByNode) {
      this.locationByNode = new Map();
      const objectField = fields.indexOf('object_index');
      for (let at = 0; at < this.locations.length; at += fields.length)
        this.locationByNode.set(this.locations[at + objectField], at);
    }
    const at = this.locationByNode.get(node);
    if (at === undefined) return undefined;
    const field = (name: string) => this.locations[at + fields.indexOf(name)];
    return { scriptId: String(field('script_id')), lineNumber: field('line'), columnNumber: field('column') };
  }

  selfSize(heapId: number): number {
    const node = this.indexById.get(heapId);
    return node === undefined ? 0 : this.nodes[node + this.field.size];
  }

  stringValue(heapId: number): string | undefined {
    const node = this.indexById.get(heapId);
    if (node === undefined || this.nodes[node + this.field.type] !== this.types.string) return undefined;
    const text = this.nameOf(node);
    return text.length < 1024 && !text.includes('\uFFFD') ? text : undefined;
  }

  node(heapId: number): { name: string; type: string } | undefined {
    const node = this.indexById.get(heapId);
    return node === undefined
      ? undefined
      : { name: this.nameOf(node), type: this.nodeTypes[this.nodes[node + this.field.type]] };
  }

  edges(heapId: number): Array<{ name: string | number; to: number; toName: string }> {
    const node = this.indexById.get(heapId);
    return node === undefined
      ? []
      : this.outEdges(node).map((e) => ({ name: e.name, to: this.idOf(e.to), toName: this.nameOf(e.to) }));
  }

  retainers(heapId: number): Array<{ from: number; name: string | number }> {
    const target = this.indexById.get(heapId);
    const out: Array<{ from: number; name: string | number }> = [];
    if (target === undefined) return out;
    for (let node = 0; node < this.nodes.length; node += this.nodeFields)
      for (const e of this.outEdges(node)) if (e.to === target) out.push({ from: this.idOf(node), name: e.name });
    return out;
  }

  stackContexts(): Set<number> {
    const found = new Set<number>();
    for (let node = 0; node < this.nodes.length; node += this.nodeFields) {
      if (this.nameOf(node) !== '(Stack roots)') continue;
      for (const e of this.outEdges(node)) {
        let ctx = this.isClosure(e.to)
          ? this.edgeTo(e.to, 'context')
          : CONTEXT_NAME.test(this.nameOf(e.to))
            ? e.to
            : undefined;
        for (let hops = 0; ctx !== undefined && !this.isNativeContext(ctx) && hops < 10000; hops++) {
          found.add(this.idOf(ctx));
          ctx = this.edgeTo(ctx, 'previous');
        }
      }
    }
    return found;
  }

  contextSlotNames(contextHeapId: number): string[] {
    const ctx = this.indexById.get(contextHeapId);
    if (ctx === undefined) return [];
    return this.outEdges(ctx).flatMap((e) => (e.type === 'context' ? [e.name as string] : []));
  }

  unnamedContextSlots(contextHeapId: number): Array<{ heapId: number; closureName?: string }> {
    const ctx = this.indexById.get(contextHeapId);
    if (ctx === undefined) return [];
    return this.outEdges(ctx).flatMap((e) => {
      if (e.type !== 'hidden') return [];
      if (this.isClosure(e.to))
        return this.nameOf(e.to).startsWith('#') ? [] : [{ heapId: this.idOf(e.to), closureName: this.nameOf(e.to) }];
      return this.isObject(e.to) ? [{ heapId: this.idOf(e.to) }] : [];
    });
  }

  loopIterators(generatorHeapId: number): number[] {
    const generator = this.indexById.get(generatorHeapId);
    const registers = generator === undefined ? undefined : this.edgeTo(generator, 'parameters_and_registers');
    if (registers === undefined) return [];
    const slots = this.outEdges(registers)
      .map((e) => ({ index: Number(e.name), node: e.to }))
      .filter((slot) => Number.isInteger(slot.index));
    slots.sort((a, b) => a.index - b.index);
    return slots.flatMap((slot, k) => {
      const after = slots[k + 1];
      const isNext = this.isClosure(slot.node) && this.nameOf(slot.node) === 'next';
      return isNext && after && after.index === slot.index + 1 && this.isObject(after.node)
        ? [this.idOf(after.node)]
        : [];
    });
  }

  hiddenObject(contextHeapId: number): number | undefined {
    const ctx = this.indexById.get(contextHeapId);
    const home =
      ctx === undefined ? undefined : this.outEdges(ctx).find((e) => e.type === 'hidden' && this.isObject(e.to));
    return home && this.idOf(home.to);
  }

  contextSlot(contextHeapId: number, name: string): number | undefined {
    const ctx = this.indexById.get(contextHeapId);
    const target = ctx === undefined ? undefined : this.edgeTo(ctx, name);
    return target === undefined ? undefined : this.idOf(target);
  }

  /** The target of the first edge of `node` with this name (and, for named edges, no index). */
  private edgeTo(node: number, name: string): number | undefined {
    const start = this.firstEdge[node / this.nodeFields];
    const count = this.nodes[node + this.field.edgeCount];
    for (let i = 0; i < count; i++) {
      const e = start + i * this.edgeFields;
      const type = this.edgeTypes[this.edgeArray[e + this.edgeField.type]];
      if (type === 'element' || type === 'hidden') continue;
      if (this.strings[this.edgeArray[e + this.edgeField.name]] === name) return this.edgeArray[e + this.edgeField.to];
    }
    return undefined;
  }

  /** A node's outgoing edges: element and hidden ones named by their index, the others by their name. */
  private outEdges(node: number): OutEdge[] {
    const out: OutEdge[] = [];
    const start = this.firstEdge[node / this.nodeFields];
    for (let i = 0; i < this.nodes[node + this.field.edgeCount]; i++) {
      const e = start + i * this.edgeFields;
      const type = this.edgeTypes[this.edgeArray[e + this.edgeField.type]];
      const nameOrIndex = this.edgeArray[e + this.edgeField.name];
      out.push({
        type,
        name: type === 'element' || type === 'hidden' ? nameOrIndex : this.strings[nameOrIndex],
        to: this.edgeArray[e + this.edgeField.to],
      });
    }
    return out;
  }

  private idOf(node: number): number {
    return this.nodes[node + this.field.id];
  }

  private nameOf(node: number): string {
    return this.strings[this.nodes[node + this.field.name]];
  }

  private isNativeContext(node: number): boolean {
    return this.nameOf(node) === 'system / NativeContext';
  }

  private isClosure(node: number): boolean {
    return this.nodes[node + this.field.type] === this.types.closure;
  }

  private isObject(node: number): boolean {
    return this.nodes[node + this.field.type] === this.types.object;
  }
}
