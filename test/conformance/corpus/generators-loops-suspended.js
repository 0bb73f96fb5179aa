// ferry-lines: 2,3
// Generators suspended at a yield inside for-of loops (over an array of objects, over a Map with
// destructuring): each goes on from the element after its current one.
function* walk(list) { for (const item of list) { yield item.name; } }
function* pairs(map) { for (const [k, v] of map) yield `${k}=${v}`; }
const it = walk([{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }]);
const it2 = pairs(new Map([['x', 1], ['y', 2], ['z', 3]]));
let n = 0;
const iv = setInterval(() => {
  n++;
  console.log(n, it.next().value, it2.next().value);
  if (n === 5) clearInterval(iv);
}, 100);
