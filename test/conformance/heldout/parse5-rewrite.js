// ferry-lines: 2,4
// parse5 + entities: HTML documents parsed into parse5's tree, rewritten (links made absolute, text
// escaped with entities) and serialised one per step; the parsed trees are kept in a list.
const parse5 = require('parse5');
const { encodeHTML, decodeHTML } = require('entities');
const base = 'https://example.org/';
const kept = [];
function walk(node, fn) { fn(node); for (const c of node.childNodes || []) walk(c, fn); }
const pages = [
  '<!doctype html><p>Tom &amp; Jerry <a href="/x">x</a></p>',
  '<ul><li><a href="y/z">yz</a></li><li>café</li></ul>',
  '<table><td>cell<td>two</table>',
  '<p>unclosed <b>bold <i>both</p> after',
  '<a href="#top">&lt;top&gt;</a>',
];
const iv = setInterval(() => {
  const doc = parse5.parseFragment(pages.shift());
  let links = 0;
  walk(doc, (n) => {
    if (n.tagName === 'a') { links++; for (const a of n.attrs) if (a.name === 'href') a.value = new URL(a.value, base).href; }
  });
  kept.push(doc);
  const html = parse5.serialize(doc);
  console.log(links, html, encodeHTML(decodeHTML('é &amp; ü')));
  if (!pages.length) { clearInterval(iv); console.log('kept', kept.map((d) => d.childNodes.length).join(',')); }
}, 20);
