// ferry-lines: 1,3
// Bound functions with bound this and arguments; a proxy with a handler of closures.
const account = { owner: 'ada', total: 0, add(amount, note) { this.total += amount; return `${this.owner} ${note} ${this.total}`; } };
const addTen = account.add.bind(account, 10);
const log = [];
const watched = new Proxy({ a: 1 }, {
  get(target, key) { log.push(`get ${String(key)}`); return target[key]; },
  set(target, key, value) { log.push(`set ${String(key)}`); target[key] = value; return true; },
});
let step = 0;
const iv = setInterval(() => {
  step++;
  watched.a = watched.a + step;
  console.log(step, addTen(`step${step}`), watched.a, log.length, addTen.name);
  if (step === 7) clearInterval(iv);
}, 60);
