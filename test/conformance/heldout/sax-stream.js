// ferry-lines: 2,4
// ferry-here: 13#9
// sax: a strict SAX stream written one chunk per timer step, mid-element at the checkpoint; its
// event listeners count elements and attributes, and a closure sums numbers found in text.
const sax = require('sax');
const stream = sax.createStream(true, { trim: true });
const depthCounts = [];
let depth = 0;
let sum = 0;
stream.on('opentag', (node) => {
  depth++;
  depthCounts[depth] = (depthCounts[depth] || 0) + 1;
  if (node.name === 'order') console.log('order', node.attributes.id, 'depth', depth);
});
stream.on('closetag', () => depth--);
stream.on('text', (t) => { if (/^\d+$/.test(t)) sum += Number(t); });
stream.on('end', () => console.log('end', depthCounts.join(','), 'sum', sum));
const xml = '<orders>' + [1, 2, 3, 4, 5].map((i) => `<order id="o${i}"><qty>${i * 2}</qty><note>n&amp;${i}</note></order>`).join('') + '</orders>';
const chunks = xml.match(/.{1,23}/gs);
function feed() {
  stream.write(chunks.shift());
  if (chunks.length) setTimeout(feed, 12);
  else stream.end();
}
feed();
