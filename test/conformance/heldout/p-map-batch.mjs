// ferry-lines: 2,4
// p-map (ES module): batches of jobs mapped with concurrency 2 where each job awaits a timer of
// its own length, ordered so completions never tie; an outer loop awaits each batch.
import pMap from 'p-map';
import { setTimeout as sleep } from 'node:timers/promises';
const log = [];
async function job(n) {
  await sleep(10 + n * 7);
  log.push(n);
  console.log('job', n, 'done');
  return n * n;
}
for (const batch of [[1, 2, 3], [4, 5], [6, 7, 8]]) {
  const squares = await pMap(batch, job, { concurrency: 2 });
  console.log('batch', squares.join(','), 'order', log.join(''));
}
