// ferry-lines: 2,4
// lru-cache: a bounded cache (private fields, typed-array linked lists) with eviction and a fetch method.
const { LRUCache } = require('lru-cache');
const evicted = [];
const cache = new LRUCache({ max: 4, dispose: (value, key) => evicted.push(key) });
let n = 0;
const iv = setInterval(() => {
  n++;
  cache.set(`k${n}`, { n, sq: n * n });
  cache.get('k1');
  console.log(n, [...cache.keys()].join(','), 'evicted', evicted.join(','), cache.size);
  if (n === 7) clearInterval(iv);
}, 200);
