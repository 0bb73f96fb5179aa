// ferry-lines: 2,4
// ferry-here: 21#3
// An audit trail: events rendered with object-inspect for the console, stored canonically with
// fast-json-stable-stringify (key order stable), and as escaped HTML rows in a report file.
const inspect = require('object-inspect');
const stringify = require('fast-json-stable-stringify');
const escapeHtml = require('escape-html');
const fs = require('fs');

const seen = new Map();
const events = [
  { user: 'ann', action: 'login', meta: { ip: '10.0.0.1', agent: '<curl>' } },
  { action: 'upload', user: 'bob', meta: { files: ['a.txt', 'b & c.txt'], size: 1234 } },
  { user: 'ann', meta: { reason: '"timeout"' }, action: 'logout' },
  { user: 'cy', action: 'login', meta: { ip: '10.0.0.7', tags: new Set(['new']) } },
  { action: 'upload', meta: { size: 1234, files: ['b & c.txt', 'a.txt'] }, user: 'bob' },
];
let row = 0;
function record(event) {
  const key = stringify({ ...event, meta: { ...event.meta, tags: undefined } });
  const count = (seen.get(key) || 0) + 1;
  seen.set(key, count);
  row++;
  fs.appendFileSync('audit.html', `<tr><td>${row}</td><td>${escapeHtml(key)}</td><td>${count}</td></tr>\n`);
  return `${row} ${inspect(event, { depth: 3 })} x${count}`;
}
const timer = setInterval(() => {
  console.log(record(events.shift()));
  if (events.length === 0) {
    clearInterval(timer);
    console.log('distinct', seen.size);
  }
}, 20);
