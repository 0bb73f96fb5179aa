// ferry-lines: 1,3
// Map and Set iterators held part way keep their position: entries(), keys(), values(), over a Map
// that gets entries after the checkpoint (the iterator sees them) and one that lost some (it skips
// them), one over a Map that outgrew its table after the iterator was made, one over a cleared Map,
// a Set iterator over a Set nothing else holds, and finished ones (they see nothing more, even what
// is added later).
const queue = new Map([['a', 1], ['b', 2], ['c', 3], ['d', 4], ['e', 5], ['f', 6], ['g', 7]]);
const entries = queue.entries();
const keys = queue.keys();
keys.next();
const seen = new Set(['x', 'y', 'z', 'w', 'v', 'u', 't', 's']);
const members = seen.values();
const finished = new Map([[1, 1]]).values();
finished.next();
finished.next();
const tags = new Set(['only']);
const finishedSet = tags.values();
finishedSet.next();
finishedSet.next();
const grown = new Map([[0, 'zero']]);
const grownKeys = grown.keys();
grownKeys.next();
for (let i = 1; i < 40; i++) grown.set(i, `n${i}`);
const cleared = new Map([['old', 1]]);
const clearedValues = cleared.values();
cleared.clear();
cleared.set('new', 2).set('newer', 3);
let step = 0;
const iv = setInterval(() => {
  step++;
  if (step === 2) queue.set('h', 8);
  if (step === 3) queue.delete('f');
  tags.add('late');
  console.log(step, JSON.stringify(entries.next()), JSON.stringify(keys.next()), JSON.stringify(members.next()), JSON.stringify(finished.next()), JSON.stringify(finishedSet.next()),
    // Not stepped before the checkpoints: they still read the tables their Maps left behind.
    step > 4 ? grownKeys.next().value : grown.size, step > 4 ? JSON.stringify(clearedValues.next()) : cleared.size);
  grown.delete(step + 2);
  if (step === 8) clearInterval(iv);
}, 40);
