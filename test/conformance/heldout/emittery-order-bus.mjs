// ferry-lines: 2,4
// ferry-here: 16#2
// An order bus on emittery (an ES module class with private state): async listeners that await
// timers, an onAny audit log and a once() waiter for the final event.
import Emittery from 'emittery';
import { nanoid, customAlphabet } from 'nanoid';

const bus = new Emittery();
const makeId = customAlphabet('abcdef0123456789', 6);
const audit = [];
let seed = 0;
bus.onAny((name, data) => audit.push(`${name}:${data?.id ?? '-'}`));
bus.on('order', async (order) => {
  await new Promise((r) => setTimeout(r, 5));
  order.total = order.items.reduce((s, i) => s + i.price * i.qty, 0);
  console.log(`order ${order.n} total ${order.total.toFixed(2)} (${order.items.length} items)`);
  await bus.emit('priced', order);
});
bus.on('priced', (order) => {
  if (order.total > 20) console.log(`order ${order.n} needs review`);
});
bus.once('done').then(() => console.log('audit', audit.length, audit.slice(-3).join(' ')));
const orders = [
  [{ price: 2.5, qty: 2 }, { price: 9.99, qty: 1 }],
  [{ price: 19.5, qty: 3 }],
  [{ price: 1.25, qty: 4 }],
  [{ price: 7, qty: 2 }, { price: 3, qty: 3 }],
];
(async () => {
  for (const items of orders) {
    const id = makeId().length === 6 ? `o${++seed}` : nanoid();
    await bus.emit('order', { id, n: seed, items });
    await new Promise((r) => setTimeout(r, 3));
  }
  await bus.emit('done');
})();
