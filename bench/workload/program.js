// The benchmark's target program: holds about N objects of realistic shapes, then idles (a
// heartbeat interval keeps it alive, before and after a restore). Plain JS: it runs under bare node.
//
// The mix, per unit of 10 objects (N / 10 units):
//   1 Order (class instance with methods on its prototype)
//   1 customer (plain object) + 1 address (plain object, nested)
//   1 items array + 2 item objects (plain)
//   1 tags array holding 2 arrays (nested arrays: 3 objects)
//   1 event (plain object); every 10th unit has instead a closure: a counter function and its
//     context (2 objects), so about 1% of all objects are closures or closure contexts
// plus 6 unique strings per unit (names, emails, SKUs, zip), and a Map of every order by id.
'use strict';

const N = Number(process.argv[2]);
if (!Number.isInteger(N) || N <= 0) throw new Error('usage: node program.js N');

class Order {
  constructor(id, customer, items, tags) {
    this.id = id;
    this.customer = customer;
    this.items = items;
    this.tags = tags;
    this.status = 'open';
  }
  total() {
    return this.items.reduce((sum, item) => sum + item.qty * item.price, 0);
  }
}

function makeCounter(start) {
  let count = start;
  return () => ++count;
}

// `data` is what v8.serialize can take; closures cannot be serialized, so they live beside it.
const data = { orders: [], byId: new Map(), events: [] };
const counters = [];
for (let i = 0; i < N / 10; i++) {
  const address = { city: `City ${i % 1000}`, zip: String(10000 + i) };
  const customer = { name: `Customer ${i}`, email: `customer${i}@example.com`, address };
  const items = [
    { sku: `SKU-${i}-A`, qty: (i % 7) + 1, price: 9.99 },
    { sku: `SKU-${i}-B`, qty: (i % 3) + 1, price: (i % 500) / 4 + 0.5 },
  ];
  const tags = [[i % 3, i % 5], [`t${i % 11}`]];
  const order = new Order(i, customer, items, tags);
  data.orders.push(order);
  data.byId.set(i, order);
  if (i % 10 === 9) counters.push(makeCounter(i));
  else data.events.push({ at: 1700000000000 + i * 1000, kind: 'created', order: i });
}
globalThis.benchState = { data, counters };

let beats = 0;
setInterval(() => {
  beats++;
}, 1000);
process.stdout.write('ready\n');
