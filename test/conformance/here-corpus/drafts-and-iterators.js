'use strict';
// Checkpoint Here with immer-like state in the paused frames: a revocable draft proxy and its revoke
// function, a Map iterator of a Map subclass and a Set iterator taken part way, and a cache keyed by
// prototypes (a class's own and built-in ones). After the restore the iterators go on from where
// they were, and revoke() revokes the restored draft.
class DraftMap extends Map {}
const protoCache = new Map([[DraftMap.prototype, 'DraftMap'], [Map.prototype, 'Map'], [Object.prototype, 'Object']]);

function step(i, entries, members, draft) {
  const entry = entries.next();
  const member = members.next();
  draft.proxy.count += i; // @bp 2 3
  console.log(i, JSON.stringify(entry), JSON.stringify(member), draft.proxy.count, protoCache.get(Object.getPrototypeOf(entries === null ? {} : new DraftMap())));
}

const map = new DraftMap([['a', 1], ['b', 2], ['c', 3], ['d', 4]]);
const set = new Set(['x', 'y', 'z']);
const entries = map.entries();
const members = set.values();
const draft = Proxy.revocable({ count: 0 }, {});
for (let i = 0; i < 5; i++) step(i, entries, members, draft);
draft.revoke();
try {
  console.log(draft.proxy.count);
} catch (error) {
  console.log(error.constructor.name, error.message);
}
