// ferry-lines: 2,5
// ferry-here: 12#4
// fastq: a promise queue with concurrency 1 whose worker awaits a timer, so a task is in flight and
// others are queued at the checkpoint; results are appended to a file in queue order.
const fastq = require('fastq');
const fs = require('fs');
const context = { processed: 0, prefix: 'job' };
async function worker(n) {
  await new Promise((resolve) => setTimeout(resolve, 20));
  this.processed++;
  const out = `${this.prefix}-${n}:${n * n}`;
  fs.appendFileSync('jobs.log', out + '\n');
  return out;
}
const queue = fastq.promise(context, worker, 1);
queue.drain = () => console.log('drained after', context.processed);
const results = [];
for (let n = 1; n <= 7; n++) {
  queue.push(n).then((r) => {
    results.push(r);
    console.log('done', r, 'waiting', queue.length());
  });
}
