// ferry-lines: 1,3
// Maps of Sets, objects in cycles, shared references: identities survive.
const graph = new Map();
function node(name) {
  const n = { name, edges: new Set(), parent: null };
  graph.set(name, n);
  return n;
}
const root = node('root');
root.self = root;
let k = 0;
const iv = setInterval(() => {
  const child = node(`n${k}`);
  child.parent = root;
  root.edges.add(child);
  child.edges.add(root);
  const shared = [...root.edges].every((c) => c.parent === root && c.edges.has(root));
  console.log(`${k}: nodes=${graph.size} edges=${root.edges.size} shared=${shared} cyclic=${root.self === root}`);
  if (++k === 7) clearInterval(iv);
}, 60);
