// ferry-lines: 2,5
// ferry-here: 32#4
// neo-async: a crawler over an in-memory site with a queue of concurrency 2; each worker "fetches"
// a page over a few ticks of an interval, pushes the links it has not seen, and calls back;
// mapLimit then sizes the pages.
const async = require('neo-async');

const site = {
  '/': ['/docs', '/blog', '/about'],
  '/docs': ['/docs/start', '/docs/api', '/'],
  '/blog': ['/blog/1', '/blog/2'],
  '/about': [],
  '/docs/start': ['/docs/api'],
  '/docs/api': [],
  '/blog/1': ['/blog/2'],
  '/blog/2': ['/about'],
};
const seen = new Set(['/']);
const order = [];
// A page takes one to three ticks of a shared clock to "fetch": pages finish by ticks, not by racing timers.
const fetching = [];
const clock = setInterval(() => {
  for (const entry of fetching.splice(0)) {
    if (--entry.ticks > 0) fetching.push(entry);
    else entry.done();
  }
}, 12);
const queue = async.queue((page, done) => {
  fetching.push({
    ticks: 1 + (page.length % 3),
    done() {
      order.push(page);
      for (const link of site[page]) if (!seen.has(link)) seen.add(link) && queue.push(link);
      console.log('fetched', page, 'queued', queue.length());
      done(null);
    },
  });
}, 2);
queue.drain = () => {
  console.log('crawled', order.length, 'pages');
  clearInterval(clock);
  async.mapLimit(
    order,
    3,
    (page, cb) => setTimeout(() => cb(null, `${page}=${site[page].length}`), 5),
    (err, sizes) => console.log('links', sizes.join(' ')),
  );
};
queue.push('/');
