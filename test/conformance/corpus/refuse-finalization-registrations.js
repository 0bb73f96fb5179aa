// ferry-refuse: registry: a FinalizationRegistry holding a registration whose held value is undefined, null, a boolean or a small integer
// A registration's held value is read from the heap snapshot, which shows no edge for undefined,
// null, booleans and small integers: which one it was cannot be told, so it is refused by path.
const registry = new FinalizationRegistry((id) => console.log('collected', id));
const kept = { a: 1 };
registry.register(kept, 42);
console.log('registered');
setInterval(() => [registry, kept], 1000);
