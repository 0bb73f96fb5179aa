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
  /** Names of a context's slots that hold heap objects (small integers have no edge). */
  contextSlotNames(contextHeapId: number): string[];
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

/** How the snapshot names a closure context (a function's, a block's, a module's...). */
const CONTEXT_NAME = /^system \/ \w*Context$/;

export function heapGraphOf(snapshot: ParsedSnapshot): HeapGraph {
  const { meta } = snapshot;
  const nodeFields = meta.node_fields.length;
  const edgeFields = meta.edge_fields.length;
  const idField = meta.node_fields.indexOf('id');
  const nameField = meta.node_fields.indexOf('name');
  const sizeField = meta.node_fields.indexOf('self_size');
  const edgeCountField = meta.node_fields.indexOf('edge_count');
  const edgeTypeField = meta.edge_fields.indexOf('type');
  const edgeNameField = meta.edge_fields.indexOf('name_or_index');
  const edgeToField = meta.edge_fields.indexOf('to_node');
  const edgeTypes = meta.edge_types[0];
  const typeField = meta.node_fields.indexOf('type');
  const closureType = meta.node_types[0].indexOf('closure');
  const objectType = meta.node_types[0].indexOf('object');
  const stringType = meta.node_types[0].indexOf('string');
  const { nodes, edges, strings, locations } = snapshot;
  const locationFields = meta.location_fields ?? ['object_index', 'script_id', 'line', 'column'];
  let locationByNode: Map<number, number> | undefined;

  const indexById = new Map<number, number>();
  const firstEdge = new Int32Array(nodes.length / nodeFields + 1);
  for (let node = 0, edge = 0; node < nodes.length; node += nodeFields) {
    indexById.set(nodes[node + idField], node);
    firstEdge[node / nodeFields] = edge;
    edge += nodes[node + edgeCountField] * edgeFields;
  }
  /** The target of the first edge of `node` with this name (and, for named edges, no index). */
  const edgeTo = (node: number, name: string): number | undefined => {
    const start = firstEdge[node / nodeFields];
    const count = nodes[node + edgeCountField];
    for (let i = 0; i < count; i++) {
      const e = start + i * edgeFields;
      const type = edgeTypes[edges[e + edgeTypeField]];
      if (type === 'element' || type === 'hidden') continue;
      if (strings[edges[e + edgeNameField]] === name) return edges[e + edgeToField];
    }
    return undefined;
  };
  const isNativeContext = (node: number) => strings[nodes[node + nameField]] === 'system / NativeContext';
  /** A node's outgoing edges: element and hidden ones named by their index, the others by their name. */
  const outEdges = (node: number): Array<{ type: string; name: string | number; to: number }> => {
    const out: Array<{ type: string; name: string | number; to: number }> = [];
    const start = firstEdge[node / nodeFields];
    for (let i = 0; i < nodes[node + edgeCountField]; i++) {
      const e = start + i * edgeFields;
      const type = edgeTypes[edges[e + edgeTypeField]];
      out.push({
        type,
        name: type === 'element' || type === 'hidden' ? edges[e + edgeNameField] : strings[edges[e + edgeNameField]],
        to: edges[e + edgeToField],
      });
    }
    return out;
  };
  const isClosure = (node: number) => nodes[node + typeField] === closureType;
  const isObject = (node: number) => nodes[node + typeField] === objectType;
  const nameOf = (node: number) => strings[nodes[node + nameField]];

  return {
    contextChain(closureHeapId) {
      const closure = indexById.get(closureHeapId);
      if (closure === undefined) return undefined;
      const chain: number[] = [];
      for (
        let ctx = edgeTo(closure, 'context');
        ctx !== undefined && !isNativeContext(ctx);
        ctx = edgeTo(ctx, 'previous')
      ) {
        chain.push(nodes[ctx + idField]);
        if (chain.length > 10000) return undefined; // a cycle would be a damaged snapshot
      }
      return chain;
    },
    nodesNamed(name) {
      const out: number[] = [];
      for (let node = 0; node < nodes.length; node += nodeFields)
        if (strings[nodes[node + nameField]] === name) out.push(nodes[node + idField]);
      return out;
    },
    closuresRunning(code) {
      const codes = new Set<number>();
      for (let node = 0; node < nodes.length; node += nodeFields) if (code.test(nameOf(node))) codes.add(node);
      const out: Array<{ heapId: number; code: string; context: number | undefined }> = [];
      if (codes.size === 0) return out;
      for (let node = 0; node < nodes.length; node += nodeFields) {
        if (!isClosure(node)) continue;
        const target = edgeTo(node, 'code');
        if (target === undefined || !codes.has(target)) continue;
        const context = edgeTo(node, 'context');
        out.push({
          heapId: nodes[node + idField],
          code: nameOf(target),
          context: context === undefined ? undefined : nodes[context + idField],
        });
      }
      return out;
    },
    location(closureHeapId) {
      const node = indexById.get(closureHeapId);
      if (node === undefined) return undefined;
      const width = locationFields.length;
      if (!locationByNode) {
        locationByNode = new Map();
        const objectField = locationFields.indexOf('object_index');
        for (let at = 0; at < locations.length; at += width) locationByNode.set(locations[at + objectField], at);
      }
      const at = locationByNode.get(node);
      if (at === undefined) return undefined;
      const field = (name: string) => locations[at + locationFields.indexOf(name)];
      return { scriptId: String(field('script_id')), lineNumber: field('line'), columnNumber: field('column') };
    },
    selfSize(heapId) {
      const node = indexById.get(heapId);
      return node === undefined ? 0 : nodes[node + sizeField];
    },
    stringValue(heapId) {
      const node = indexById.get(heapId);
      if (node === undefined || nodes[node + typeField] !== stringType) return undefined;
      const text = nameOf(node);
      return text.length < 1024 && !text.includes('\uFFFD') ? text : undefined;
    },
    node(heapId) {
      const node = indexById.get(heapId);
      return node === undefined ? undefined : { name: nameOf(node), type: meta.node_types[0][nodes[node + typeField]] };
    },
    edges(heapId) {
      const node = indexById.get(heapId);
      return node === undefined
        ? []
        : outEdges(node).map((e) => ({ name: e.name, to: nodes[e.to + idField], toName: nameOf(e.to) }));
    },
    retainers(heapId) {
      const target = indexById.get(heapId);
      const out: Array<{ from: number; name: string | number }> = [];
      if (target === undefined) return out;
      for (let node = 0; node < nodes.length; node += nodeFields) {
        for (const e of outEdges(node)) if (e.to === target) out.push({ from: nodes[node + idField], name: e.name });
      }
      return out;
    },
    stackContexts() {
      const found = new Set<number>();
      for (let node = 0; node < nodes.length; node += nodeFields) {
        if (nameOf(node) !== '(Stack roots)') continue;
        for (const e of outEdges(node)) {
          let ctx = isClosure(e.to) ? edgeTo(e.to, 'context') : CONTEXT_NAME.test(nameOf(e.to)) ? e.to : undefined;
          for (let hops = 0; ctx !== undefined && !isNativeContext(ctx) && hops < 10000; hops++) {
            found.add(nodes[ctx + idField]);
            ctx = edgeTo(ctx, 'previous');
          }
        }
      }
      return found;
    },
    contextSlotNames(contextHeapId) {
      const ctx = indexById.get(contextHeapId);
      if (ctx === undefined) return [];
      const names: string[] = [];
      for (const e of outEdges(ctx)) {
        if (e.type === 'context') names.push(e.name as string);
        // A class scope's binding of the class is an unnamed slot: it is named after its class.
        // (Its other unnamed slots hold private names and private methods, #x: not variables.)
        else if (e.type === 'hidden' && isClosure(e.to) && !nameOf(e.to).startsWith('#')) names.push(nameOf(e.to));
      }
      return names;
    },
    loopIterators(generatorHeapId) {
      const generator = indexById.get(generatorHeapId);
      const registers = generator === undefined ? undefined : edgeTo(generator, 'parameters_and_registers');
      if (registers === undefined) return [];
      const slots = outEdges(registers)
        .map((e) => ({ index: Number(e.name), node: e.to }))
        .filter((slot) => Number.isInteger(slot.index));
      slots.sort((a, b) => a.index - b.index);
      return slots.flatMap((slot, k) => {
        const after = slots[k + 1];
        const isNext = isClosure(slot.node) && nameOf(slot.node) === 'next';
        return isNext && after && after.index === slot.index + 1 && isObject(after.node)
          ? [nodes[after.node + idField]]
          : [];
      });
    },
    hiddenObject(contextHeapId) {
      const ctx = indexById.get(contextHeapId);
      const home = ctx === undefined ? undefined : outEdges(ctx).find((e) => e.type === 'hidden' && isObject(e.to));
      return home && nodes[home.to + idField];
    },
    contextSlot(contextHeapId, name) {
      const ctx = indexById.get(contextHeapId);
      const target = ctx === undefined ? undefined : edgeTo(ctx, name);
      return target === undefined ? undefined : nodes[target + idField];
    },
  };
}
