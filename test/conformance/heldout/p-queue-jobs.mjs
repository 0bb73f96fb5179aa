// ferry-lines: 3,6
// ferry-here: 15#4
// p-queue (an ES module package): image "jobs" with priorities and a concurrency of 2 on a queue
// that emits 'completed' and 'idle'; each job awaits a timer and its result is logged by a listener.
import PQueue from 'p-queue';
import { v5 as uuidv5 } from 'uuid';

const NAMESPACE = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
const queue = new PQueue({ concurrency: 2 });
const done = [];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function resize(name, width) {
  await sleep(15);
  const id = uuidv5(`${name}@${width}`, NAMESPACE).slice(0, 8);
  return `${name}@${width}:${id}`;
}
queue.on('completed', (result) => {
  done.push(result);
  console.log('completed', result, 'pending', queue.pending, 'size', queue.size);
});
queue.on('idle', () => console.log('idle after', done.length, 'jobs'));
const jobs = [['hero', 1200], ['thumb', 150], ['avatar', 64], ['banner', 980], ['icon', 32], ['logo', 256]];
for (const [name, width] of jobs) queue.add(() => resize(name, width), { priority: width < 100 ? 1 : 0 });
await queue.onIdle();
console.log('order', done.map((r) => r.split('@')[0]).join(','));
