// ferry-lines: 3,6
// ferry-here: 17#4
// mime + leven: a small static server (pages in memory) whose request handler counts hits, answers
// with the content type mime looks up, and suggests the closest page for a 404; a client on a
// keep-alive agent asks for one path at a time, so the connection is open at the checkpoint.
const http = require('http');
const fs = require('fs');
const mime = require('mime');
const leven = require('leven');

const pages = { '/index.html': '<h1>home</h1>', '/app.js': 'console.log(1)', '/style.css': 'body{margin:0}',
  '/data.json': '{"a":1}', '/logo.svg': '<svg/>', '/notes.md': '# notes' };
const hits = new Map();
const server = http.createServer((req, res) => {
  hits.set(req.url, (hits.get(req.url) || 0) + 1);
  const body = pages[req.url];
  fs.appendFileSync('access.log', `${req.method} ${req.url} ${body === undefined ? 404 : 200}\n`);
  if (body === undefined) {
    const guess = Object.keys(pages).sort((a, b) => leven(req.url, a) - leven(req.url, b))[0];
    res.writeHead(404, { 'content-type': 'text/plain' });
    return res.end(`no ${req.url}; did you mean ${guess}?`);
  }
  const type = mime.lookup(req.url);
  const charset = mime.charsets.lookup(type);
  res.writeHead(200, { 'content-type': charset ? `${type}; charset=${charset}` : type });
  res.end(body);
});

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const paths = ['/index.html', '/app.js', '/indx.html', '/style.css', '/data.json', '/logo.svg', '/nots.md',
  '/notes.md', '/index.html'];
function fetchNext() {
  const path = paths.shift();
  http.get({ host: '127.0.0.1', port: server.address().port, path, agent }, (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => (body += chunk));
    res.on('end', () => {
      console.log(res.statusCode, path, res.headers['content-type'], JSON.stringify(body));
      if (paths.length) setTimeout(fetchNext, 20);
      else {
        agent.destroy();
        server.close(() => console.log('hits', JSON.stringify([...hits])));
      }
    });
  });
}
server.listen(0, '127.0.0.1', fetchNext);
