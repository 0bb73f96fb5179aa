// ferry-lines: 2,4
// ferry-here: 12#3
// A rate-limited crawler: bottleneck lets 2 jobs run at once, at least 10 ms apart; each job
// "fetches" a page (a timer) and parses links out of it with a regex.
const Bottleneck = require('bottleneck');

const limiter = new Bottleneck({ maxConcurrent: 2, minTime: 10 });
const pages = { '/': 'see <a href="/a">a</a> <a href="/b">b</a>', '/a': '<a href="/c">c</a>', '/b': 'none', '/c': '<a href="/">home</a>' };
const seen = new Set();
async function crawl(path) {
  await new Promise((r) => setTimeout(r, 4));
  const links = [...pages[path].matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
  console.log(`${path}: ${links.length} link(s) ${links.join(' ')}`);
  return links.filter((l) => !seen.has(l));
}
function visit(path) {
  seen.add(path);
  return limiter.schedule({ id: path }, () => crawl(path)).then((links) => Promise.all(links.map((l) => !seen.has(l) && visit(l))));
}
visit('/').then(() => limiter.stop({ dropWaitingJobs: false })).then(() => console.log('crawled', [...seen].sort().join(',')));
