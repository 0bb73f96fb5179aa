'use strict';
// A crawler: three workers share a queue, each with its own awaits in flight (timer-backed
// fetches of different lengths), results gathered in shared state. Checkpointed inside one worker
// while the others are suspended at their awaits: all of them go on after restore.
const sleep = (ms) => new Promise((resolve) => sleepOnTheClock(ms, resolve));
const pages = { a: ['b', 'c'], b: ['d'], c: ['d', 'e'], d: ['f'], e: [], f: ['a'] };
const queue = ['a'];
const seen = new Set(['a']);
const visits = [];
let active = 0;

async function fetchPage(name, worker) {
  await sleep(150 + worker * 290);
  return pages[name];
}

async function worker(id) {
  active++;
  while (queue.length > 0 || active > 1) {
    const name = queue.shift();
    if (name === undefined) {
      await sleep(300 + id * 230); // workers apart: no two due at the same tick
      continue;
    }
    const links = await fetchPage(name, id); // @bp 2 5
    visits.push(`${id}:${name}`); // @bp 1 3 6
    for (const link of links) {
      if (!seen.has(link)) {
        seen.add(link);
        queue.push(link);
      }
    }
    console.log(`worker ${id} crawled ${name} -> [${links.join(',')}] queue [${queue.join(',')}]`);
    if (queue.length === 0) break;
  }
  active--;
  console.log(`worker ${id} done`);
  if (active === 0) console.log('crawl finished:', [...seen].sort().join(','), visits.length, 'visits');
}

for (let id = 1; id <= 3; id++) worker(id);

// A clock of 20 ms ticks driven by one timer: sleepers wake by their due tick (ties in the order
// they slept), so the crawl's order never depends on how fast a loaded machine runs the timers.
var sleepers;
var ticks;
function sleepOnTheClock(ms, resolve) {
  if (!sleepers) {
    sleepers = [];
    ticks = 0;
    setTimeout(tick, 20);
  }
  sleepers.push({ due: ticks + Math.ceil(ms / 20), resolve });
}
function tick() {
  ticks++;
  const due = sleepers.filter((s) => s.due <= ticks).sort((a, b) => a.due - b.due);
  sleepers = sleepers.filter((s) => s.due > ticks);
  for (const sleeper of due) sleeper.resolve();
  if (sleepers.length > 0 || due.length > 0) setTimeout(tick, 20);
}
