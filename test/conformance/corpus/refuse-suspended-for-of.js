// ferry-refuse: its array position cannot be known: the current element `url` is absent or occurs more than once
// An async function suspended inside a for-of loop over an array whose current element occurs
// twice: which iteration it is in cannot be told, so the checkpoint is refused (with unique
// elements it goes on after the current one: async-loops-suspended.js).
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const urls = ['a', 'b', 'a', 'c'];
async function crawl() {
  for (const url of urls) {
    await sleep(60_000);
    console.log('fetched', url);
  }
}
crawl();
console.log('crawling');
