// ferry-lines: 2,3
// ferry-here: 25#3
// ramda: an order book fed in batches through a promise chain; each batch is grouped, summed and
// ranked with curried, point-free pipelines, and the running totals live in a closure.
const R = require('ramda');

const batches = [
  [{ sku: 'ink', qty: 3, price: 4.5 }, { sku: 'pen', qty: 10, price: 1.2 }, { sku: 'ink', qty: 1, price: 4.5 }],
  [{ sku: 'pad', qty: 2, price: 3.0 }, { sku: 'pen', qty: 4, price: 1.2 }],
  [{ sku: 'ink', qty: 2, price: 4.7 }, { sku: 'pad', qty: 5, price: 2.9 }, { sku: 'clip', qty: 50, price: 0.05 }],
  [{ sku: 'pen', qty: 1, price: 1.25 }],
];
const lineTotal = R.converge(R.multiply, [R.prop('qty'), R.prop('price')]);
const bySku = R.pipe(
  R.groupBy(R.prop('sku')),
  R.map(R.pipe(R.map(lineTotal), R.sum, (n) => Math.round(n * 100) / 100)),
);
const ranked = R.pipe(R.toPairs, R.sortWith([R.descend(R.last), R.ascend(R.head)]), R.take(2));

let totals = {};
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
function settle(batch, n) {
  return delay(15).then(() => {
    const sums = bySku(batch);
    totals = R.mergeWith(R.add, totals, sums);
    console.log(`batch ${n}`, JSON.stringify(sums), 'top', JSON.stringify(ranked(totals)));
  });
}
batches
  .reduce((chain, batch, n) => chain.then(() => settle(batch, n + 1)), Promise.resolve())
  .then(() => console.log('total', R.sum(R.values(totals)).toFixed(2), R.keys(totals).sort().join(',')));
