// ferry-lines: 2,4
// An HTTP server that counts requests; the program is its own client (one connection per request).
const http = require('http');
let hits = 0;
const server = http.createServer((req, res) => {
  hits++;
  res.setHeader('connection', 'close');
  res.end(`hit ${hits} ${req.url}`);
});
server.listen(0, '127.0.0.1', () => console.log('listening'));
let n = 0;
function ask() {
  const { port } = server.address();
  http.get({ port, host: '127.0.0.1', path: `/req${++n}`, agent: false }, (res) => {
    let body = '';
    res.on('data', (d) => (body += d));
    res.on('end', () => {
      console.log(`response: ${body}`);
      if (n < 7) setTimeout(ask, 200); // time left for a checkpoint after line 4, even under load
      else server.close(() => console.log('closed'));
    });
  });
}
setTimeout(ask, 60);
