// ferry-lines: 2,5
// ferry-here: 13#4
// htmlparser2: a streaming parser fed one chunk per interval tick, so it is mid-document (an open
// tag split across chunks) when the checkpoint comes; its handler closures keep a tag stack.
const { Parser } = require('htmlparser2');
const stack = [];
const counts = {};
let text = '';
const parser = new Parser({
  onopentag(name, attrs) {
    stack.push(name);
    counts[name] = (counts[name] || 0) + 1;
    if (attrs.id) console.log('open', name, 'id', attrs.id, 'depth', stack.length);
  },
  ontext(t) { text += t.trim(); },
  onclosetag(name) {
    stack.pop();
    if (name === 'section') console.log('closed section, text so far', text.length);
  },
  onend() { console.log('end', JSON.stringify(counts), text); },
}, { decodeEntities: true });
const html = '<html><body><section id="a"><p>Hello &amp; welcome</p><p>to the</p></section>' +
  '<section id="b"><ul><li id="x">one</li><li>two</li></ul></section><section id="c">bye</section></body></html>';
let at = 0;
const iv = setInterval(() => {
  parser.write(html.slice(at, at + 17));
  at += 17;
  if (at >= html.length) { clearInterval(iv); parser.end(); }
}, 15);
