// ferry-lines: 2,4
// An HTTP server and its own client on the default agent, which keeps connections alive between
// requests: the checkpoint closes the idle connection (as either side may), the client opens a new one.
const http = require('http');
let hits = 0;
const server = http.createServer((req, res) => {
  hits++;
  res.end(`hit ${hits} ${req.url}`);
});
server.listen(0, '127.0.0.1', () => console.log('listening'));
let n = 0;
function ask() {
  http.get({ port: server.address().port, host: '127.0.0.1', path: `/req${++n}` }, (res) => {
    let body = '';
    res.on('data', (d) => (body += d));
    res.on('end', () => {
      console.log(`response: ${body} (keep-alive ${res.headers.connection})`);
      if (n < 6) setTimeout(ask, 200);
      else server.close(() => console.log('closed'));
    });
  });
}
setTimeout(ask, 60);
