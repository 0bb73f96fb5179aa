// ferry-lines: 2,4
// ferry-here: 17#3
// keyv: an in-memory Keyv store (a Map behind promises) with a namespace, used by a read-through
// cache: each step awaits get/set, and the store's contents cross the checkpoint.
const Keyv = require('keyv');
const store = new Map();
const cache = new Keyv({ store, namespace: 'users' });
cache.on('error', (e) => console.log('cache error', e.message));
let loads = 0;
async function loadUser(id) {
  await new Promise((resolve) => setTimeout(resolve, 15));
  loads++;
  return { id, name: `user${id}`, score: id * 7 };
}
async function getUser(id) {
  const hit = await cache.get(String(id));
  if (hit) return { ...hit, cached: true };
  const user = await loadUser(id);
  await cache.set(String(id), user, 3_600_000);
  return user;
}
async function main() {
  for (const id of [1, 2, 1, 3, 2, 4, 1, 4]) {
    const u = await getUser(id);
    console.log(id, u.name, u.score, u.cached ? 'hit' : 'miss', 'loads', loads, 'size', store.size);
  }
}
main();
