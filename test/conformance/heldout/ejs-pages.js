// ferry-lines: 1,2
// ferry-here: 12#3
// Renders a small static site with ejs: each page is compiled once and cached, a helper formats
// prices, and the pages are written to an out/ directory one per timer tick.
const ejs = require('ejs');
const fs = require('node:fs');
const path = require('node:path');

const layout = '<h1><%= title %></h1><ul><% for (const p of products) { %><li><%= p.name %>: <%- price(p.cents) %></li><% } %></ul>';
const render = ejs.compile(layout);
function price(cents) {
  const text = `$${(cents / 100).toFixed(2)}`;
  return `<b>${text}</b>`;
}
const pages = [
  { title: 'Tea', products: [{ name: 'Green', cents: 450 }, { name: 'Black', cents: 399 }] },
  { title: 'Cake', products: [{ name: 'Lemon', cents: 325 }] },
  { title: 'Bread', products: [{ name: 'Rye', cents: 510 }, { name: 'Spelt', cents: 620 }] },
];
const out = path.join(__dirname, 'out');
fs.mkdirSync(out, { recursive: true });
let i = 0;
const timer = setInterval(() => {
  const page = pages[i++];
  const html = render({ ...page, price });
  fs.writeFileSync(path.join(out, `${page.title.toLowerCase()}.html`), html);
  console.log('wrote', page.title, html.length);
  if (i === pages.length) clearInterval(timer);
}, 15);
