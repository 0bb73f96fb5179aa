// ferry-lines: 1,3
// A larger heap: 20,000 records of mixed shapes aggregated on every tick.
class Order { constructor(id, cents) { this.id = id; this.cents = cents; this.lines = [id % 7, id % 11]; } }
const orders = [];
for (let i = 0; i < 20000; i++) orders.push(i % 3 ? new Order(i, i * 3) : { id: i, cents: i, lines: [], note: `n${i}` });
const byBucket = new Map();
for (const o of orders) byBucket.set(o.id % 10, (byBucket.get(o.id % 10) ?? 0) + 1);
let step = 0;
const iv = setInterval(() => {
  step++;
  for (let i = step; i < orders.length; i += 97) orders[i].cents += step;
  const total = orders.reduce((sum, o) => sum + o.cents, 0);
  console.log(step, total, byBucket.get(step % 10), orders.filter((o) => o instanceof Order).length);
  if (step === 7) clearInterval(iv);
}, 80);
