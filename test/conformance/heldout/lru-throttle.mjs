// ferry-lines: 1,3
// ferry-here: 35#3
// An ESM price service: a QuickLRU cache, a throttled fetcher (p-throttle) and a nanoevents bus;
// two watchers made by one factory with equal settings, and an async loop awaiting each round.
import QuickLRU from 'quick-lru';
import pThrottle from 'p-throttle';
import { createNanoEvents } from 'nanoevents';

const bus = createNanoEvents();
const cache = new QuickLRU({ maxSize: 3 });
const throttle = pThrottle({ limit: 2, interval: 50 });
const prices = { apple: 3, pear: 4, plum: 5, fig: 7 };
const fetchPrice = throttle(async (item) => {
  if (!cache.has(item)) cache.set(item, prices[item] * 10);
  return cache.get(item);
});

function watcher(threshold) {
  let seen = 0;
  seen = threshold > 30 ? 1 : 0;
  return (item, price) => {
    if (price > threshold) console.log(`alert ${item} ${price} (watcher ${threshold}, seen ${seen})`);
  };
}
bus.on('price', watcher(40));
bus.on('price', watcher(40));

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function main() {
  const items = ['apple', 'pear', 'plum', 'fig', 'apple', 'plum'];
  for (const [round, item] of items.entries()) {
    const price = await fetchPrice(item);
    console.log(`round ${round}: ${item} ${price} cached ${[...cache.keys()].join(',')}`);
    bus.emit('price', item, price);
    await wait(150);
  }
}
main();
