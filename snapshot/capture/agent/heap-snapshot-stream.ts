// Reads a V8 heap snapshot as its chunks arrive, never holding its JSON text whole: a large heap's
// snapshot passes V8's longest string (~512 MB), and JSON.parse of one that fits doubles the memory
// in boxed numbers. The numbers of "nodes" and "edges" go straight into typed arrays sized from the
// header's counts; "locations" (where each function's code starts) into a growing list; "strings"
// are parsed one at a time; the sections in between are skipped.

export interface SnapshotMeta {
  node_fields: string[];
  location_fields?: string[];
  edge_fields: string[];
  edge_types: [string[]];
  node_types: [string[]];
}

export interface ParsedSnapshot {
  meta: SnapshotMeta;
  nodes: Uint32Array;
  edges: Uint32Array;
  /** Per function: its node's index in `nodes`, script id, line, column (meta.location_fields). */
  locations: Uint32Array;
  strings: string[];
}

/** Where the reader is: looking for a marker, in a number array, in the strings, or done. */
type State =
  | { in: 'seek'; marker: string; then: 'nodes' | 'edges' | 'locations' | 'strings' }
  | { in: 'nodes' | 'edges' | 'locations' }
  | { in: 'strings' }
  | { in: 'done' };

const NODES = '"nodes":[';

export class HeapSnapshotStream {
  private state: State = { in: 'seek', marker: NODES, then: 'nodes' };
  /** Text kept across chunks: all of it before "nodes" (the header), the tail of a cut marker after. */
  private carried = '';
  private meta: SnapshotMeta | undefined;
  private nodes = new Uint32Array(0);
  private edges = new Uint32Array(0);
  private readonly locations: number[] = [];
  private filled = 0;
  private number = -1; // the digits read of a number a chunk boundary cut (-1: none)
  private readonly strings: string[] = [];
  private token: string[] | undefined; // the pieces of a string chunk boundaries cut
  private escaped = false;

  push(chunk: string): void {
    let at = 0;
    while (at < chunk.length && this.state.in !== 'done') {
      const state = this.state;
      if (state.in === 'seek') at = this.seek(chunk, at, state.marker, state.then);
      else if (state.in === 'strings') at = this.readStrings(chunk, at);
      else at = this.readNumbers(chunk, at, state.in);
    }
  }

  result(): ParsedSnapshot {
    if (this.state.in !== 'done' || !this.meta) throw new Error('the heap snapshot ended early');
    return {
      meta: this.meta,
      nodes: this.nodes,
      edges: this.edges,
      locations: Uint32Array.from(this.locations),
      strings: this.strings,
    };
  }

  /** Moves past `marker`, which a chunk boundary may cut; returns where the section after it starts. */
  private seek(chunk: string, at: number, marker: string, then: 'nodes' | 'edges' | 'locations' | 'strings'): number {
    const before = this.carried.length;
    const text = this.carried + chunk.slice(at);
    const found = text.indexOf(marker);
    if (found < 0) {
      // The header is kept whole (it is parsed once "nodes" starts); elsewhere only a cut marker's head.
      this.carried = then === 'nodes' ? text : text.slice(-(marker.length - 1));
      return chunk.length;
    }
    if (then === 'nodes') this.readHeader(text.slice(0, found));
    this.carried = '';
    this.state = { in: then };
    return at + found + marker.length - before;
  }

  /** The snapshot's description before "nodes", with its node and edge counts. */
  private readHeader(text: string): void {
    const head = JSON.parse(`${text.replace(/,\s*$/, '')}}`) as {
      snapshot: { meta: SnapshotMeta; node_count: number; edge_count: number };
    };
    this.meta = head.snapshot.meta;
    this.nodes = new Uint32Array(head.snapshot.node_count * this.meta.node_fields.length);
    this.edges = new Uint32Array(head.snapshot.edge_count * this.meta.edge_fields.length);
  }

  private readNumbers(chunk: string, at: number, section: 'nodes' | 'edges' | 'locations'): number {
    const target = section === 'nodes' ? this.nodes : section === 'edges' ? this.edges : undefined;
    let n = this.number;
    for (let i = at; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c >= 48 && c <= 57) n = (n < 0 ? 0 : n * 10) + (c - 48);
      else if (c === 44 || c === 93) {
        // , or ]
        if (n >= 0) {
          if (!target) this.locations.push(n);
          else if (this.filled >= target.length)
            throw new Error('the heap snapshot holds more entries than its header says');
          else target[this.filled++] = n;
          n = -1;
        }
        if (c === 93) {
          if (target && this.filled !== target.length)
            throw new Error('the heap snapshot holds fewer entries than its header says');
          this.number = -1;
          this.filled = 0;
          this.state =
            section === 'nodes'
              ? { in: 'seek', marker: '"edges":[', then: 'edges' }
              : section === 'edges'
                ? { in: 'seek', marker: '"locations":[', then: 'locations' }
                : { in: 'seek', marker: '"strings":[', then: 'strings' };
          return i + 1;
        }
      }
    }
    this.number = n;
    return chunk.length;
  }

  private readStrings(chunk: string, at: number): number {
    let start = at;
    for (let i = at; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (this.token) {
        if (this.escaped) this.escaped = false;
        else if (c === 92)
          this.escaped = true; // a backslash
        else if (c === 34) {
          // the closing quote
          this.token.push(chunk.slice(start, i + 1));
          this.strings.push(JSON.parse(this.token.join('')) as string);
          this.token = undefined;
        }
      } else if (c === 34) {
        this.token = [];
        start = i;
      } else if (c === 93) {
        this.state = { in: 'done' };
        return chunk.length;
      }
    }
    if (this.token) this.token.push(chunk.slice(start));
    return chunk.length;
  }
}
