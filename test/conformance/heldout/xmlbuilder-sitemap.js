// ferry-lines: 2,4
// ferry-here: 16#3
// xmlbuilder: a sitemap built one element per timer tick (the tree of nodes, with their parent
// links and the document's options, crosses the checkpoint); each new element is printed on its
// own, the whole document at the end.
const builder = require('xmlbuilder');
const root = builder
  .create('urlset', { version: '1.0', encoding: 'UTF-8' })
  .att('xmlns', 'http://www.sitemaps.org/schemas/sitemap/0.9');
const pages = ['/', '/about', '/blog/first-post', '/blog/second & third', '/contact?x=1&y=2', '/docs/<api>'];
let i = 0;
const timer = setInterval(() => {
  const page = pages[i++];
  const url = root.ele('url');
  url.ele('loc', `https://example.org${page}`);
  url.ele('priority', (1 - i / 10).toFixed(1));
  console.log(i, url.toString());
  if (i === pages.length) {
    clearInterval(timer);
    console.log(root.end({ pretty: true }));
  }
}, 15);
