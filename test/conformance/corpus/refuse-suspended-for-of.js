// ferry-refuse: it is suspended inside a for-of loop over `urls`, whose position a suspended function does not show
// An async function suspended at an await inside a for-of loop: the loop's iterator lives in the
// function's registers, out of reach. Refused (it used to be accepted, and the restore failed).
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const urls = ['a', 'b', 'c', 'd', 'e'];
async function crawl() {
  for (const url of urls) {
    await sleep(60_000);
    console.log('fetched', url);
  }
}
crawl();
console.log('crawling');
