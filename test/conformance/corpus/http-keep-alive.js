// ferry-lines: 2,5,8
// An HTTP server asked by its own client over keep-alive connections (Node's default agent keeps
// them): between requests both ends hold an idle connection, which a checkpoint closes gracefully,
// as HTTP allows; the next request opens a new one. The server counts its connections as it goes.
const http = require('http');
let hits = 0;
let connections = 0;
const server = http.createServer((req, res) => {
  hits++;
  res.end(`hit ${hits} ${req.url}`);
});
server.on('connection', () => connections++);
server.listen(0, '127.0.0.1', () => console.log('listening'));
let n = 0;
function ask() {
  const { port } = server.address();
  http.get({ port, host: '127.0.0.1', path: `/req${++n}` }, (res) => {
    let body = '';
    res.on('data', (d) => (body += d));
    res.on('end', () => {
      console.log(`response: ${body}`);
      if (n < 12) setTimeout(ask, 200);
      else server.close(() => console.log('closed', connections > 0));
      if (n === 12) server.closeAllConnections();
    });
  });
}
setTimeout(ask, 60);
