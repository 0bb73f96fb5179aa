// ferry-lines: 1,2
// ferry-here: 21#2
// Builds report sections one at a time; each section loads its formatter lazily (change-case and a
// module of the program's), as a plugin system would, and records its rows in a running tally.
import { groupBy, orderBy } from 'lodash-es';
import { record } from './report-builder/totals.mjs';

const sales = [
  { region: 'north east', rep: 'ana lima', amount: 120 },
  { region: 'south west', rep: 'bo chen', amount: 80 },
  { region: 'north east', rep: 'cy diaz', amount: 45 },
  { region: 'far north', rep: 'di eng', amount: 200 },
  { region: 'south west', rep: 'ed fox', amount: 15 },
];
const regions = Object.entries(groupBy(sales, 'region'));
let index = 0;
async function nextSection() {
  const [region, rows] = regions[index++];
  const { capitalCase, snakeCase } = await import('change-case');
  const totals = await import('./report-builder/totals.mjs');
  const total = record(rows);
  const top = orderBy(rows, ['amount'], ['desc'])[0];
  console.log(`${snakeCase(region)}: ${capitalCase(top.rep)} leads; running total ${total} over ${totals.count()} rows`);
  if (index < regions.length) setTimeout(nextSection, 25);
}
setTimeout(nextSection, 25);
