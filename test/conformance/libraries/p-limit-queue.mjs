// ferry-lines: 2,4
// p-limit: a concurrency limit of 2 over jobs that wait on timers; queued jobs and running ones
// (pending promises inside p-limit's queue, an async function awaiting each) cross the checkpoint.
// (Promise.all over the jobs, and awaiting at a module's top level, are refused yet.)
import pLimit from 'p-limit';
const limit = pLimit(2);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const job = (i) => limit(async () => {
  await sleep(250);
  console.log('job', i, 'active', limit.activeCount, 'pending', limit.pendingCount);
  return i * i;
});
async function main() {
  const jobs = [1, 2, 3, 4, 5, 6].map(job);
  let total = 0;
  for (const done of jobs) total += await done;
  console.log('total', total);
}
main();
