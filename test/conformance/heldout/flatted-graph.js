// ferry-lines: 2,4
// flatted: a graph with cycles (nodes pointing at each other and at their graph) serialised with
// flatted each step, parsed back and compared; the graph grows across the checkpoint.
const { stringify, parse } = require('flatted');
const fs = require('fs');
const graph = { name: 'g', nodes: [] };
function addNode(id) {
  const node = { id, graph, edges: [] };
  for (const other of graph.nodes) if ((other.id + id) % 3 === 0) { node.edges.push(other); other.edges.push(node); }
  graph.nodes.push(node);
  return node;
}
let id = 0;
const iv = setInterval(() => {
  addNode(++id);
  const text = stringify(graph);
  const back = parse(text);
  const edges = back.nodes.reduce((n, x) => n + x.edges.length, 0);
  console.log(id, text.length, 'edges', edges, back.nodes.every((n) => n.graph === back));
  fs.writeFileSync('graph.json', text);
  if (id === 7) clearInterval(iv);
}, 20);
