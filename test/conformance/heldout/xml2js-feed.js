// ferry-lines: 2,4
// ferry-here: 17#3
// xml2js: an RSS-like feed parsed item by item with parseStringPromise in an async loop that awaits
// a timer between items, then built back with a Builder; totals kept in a class instance.
const xml2js = require('xml2js');
const fs = require('fs');
const items = [1, 2, 3, 4, 5, 6].map((n) => `<item id="${n}"><title>Item ${n}</title><price>${n * 1.5}</price><tags><tag>t${n % 2}</tag><tag>all</tag></tags></item>`);
class Ledger {
  constructor() { this.total = 0; this.titles = []; }
  add(item) { this.total += Number(item.price[0]); this.titles.push(item.title[0]); }
}
const ledger = new Ledger();
const builder = new xml2js.Builder({ headless: true, renderOpts: { pretty: false } });
async function main() {
  for (const xml of items) {
    const doc = await xml2js.parseStringPromise(xml);
    ledger.add(doc.item);
    const line = `${doc.item.$.id} ${doc.item.title[0]} ${doc.item.tags[0].tag.join('/')} total=${ledger.total}`;
    console.log(line);
    fs.appendFileSync('feed.log', builder.buildObject({ row: { id: doc.item.$.id, total: ledger.total } }) + '\n');
    await new Promise((resolve) => setTimeout(resolve, 35));
  }
  console.log('titles', ledger.titles.join(','));
}
main();
