// ferry-lines: 3,5
// ferry-here: 31#3
// send + finalhandler: a static file server over a public/ directory it writes first; the request
// handler logs each request, sends the file with send() (ETag, Range, 404s through finalhandler),
// and a client asks for each URL in turn on a keep-alive agent, conditional requests included.
const fs = require('fs');
const http = require('http');
const path = require('path');
const send = require('send');
const finalhandler = require('finalhandler');

const root = path.join(__dirname, 'public');
fs.mkdirSync(path.join(root, 'css'), { recursive: true });
fs.writeFileSync(path.join(root, 'index.html'), '<h1>home</h1>\n');
fs.writeFileSync(path.join(root, 'css', 'site.css'), 'body { margin: 0 }\n'.repeat(20));
fs.writeFileSync(path.join(root, 'notes.txt'), 'alpha\nbeta\ngamma\n');
// Fixed times: the ETags and Last-Modified headers do not depend on when the files were written.
for (const f of ['index.html', 'css/site.css', 'notes.txt']) fs.utimesSync(path.join(root, f), 1700000000, 1700000000);

const served = [];
const server = http.createServer((req, res) => {
  served.push(req.url);
  send(req, req.url, { root, etag: true, lastModified: false })
    .on('error', (err) => finalhandler(req, res, { onerror: () => {} })(err))
    .pipe(res);
});

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function get(pathname, headers = {}) {
  return new Promise((resolve) => {
    http.get({ host: '127.0.0.1', port: server.address().port, path: pathname, agent, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, etag: res.headers.etag, type: res.headers['content-type'], body }));
    });
  });
}
const pause = () => new Promise((resolve) => setTimeout(resolve, 15));
server.listen(0, '127.0.0.1', async () => {
  const first = await get('/index.html');
  console.log(first.status, first.type, JSON.stringify(first.body));
  await pause();
  const again = await get('/index.html', { 'if-none-match': first.etag });
  console.log(again.status, 'not modified', again.body.length);
  await pause();
  const css = await get('/css/site.css', { range: 'bytes=0-9' });
  console.log(css.status, css.type, JSON.stringify(css.body));
  await pause();
  const notes = await get('/notes.txt');
  console.log(notes.status, notes.body.split('\n').filter(Boolean).length, 'lines');
  await pause();
  const missing = await get('/nope.txt');
  console.log(missing.status, 'missing');
  await pause();
  const up = await get('/../secret');
  console.log(up.status, 'outside the root');
  console.log('served', served.join(' '));
  agent.destroy();
  server.close();
});
