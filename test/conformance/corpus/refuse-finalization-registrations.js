// ferry-refuse: registry: a FinalizationRegistry holding 1 registration(s)
// The registrations of a FinalizationRegistry are weak cells only the heap snapshot shows: not carried yet.
const registry = new FinalizationRegistry((token) => console.log('collected', token));
const kept = { a: 1 };
registry.register(kept, 'kept');
console.log('registered');
setInterval(() => [registry, kept], 1000);
