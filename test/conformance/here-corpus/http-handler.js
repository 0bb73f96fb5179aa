'use strict';
// Checkpoint Here inside an HTTP server's 'request' listener, while the program's own client
// waits for the answer. Requests go one after another (the next one is sent when the previous
// answer has ended), so the order is the program's.
const http = require('node:http');

let served = 0;
const server = http.createServer(function handle(req, res) {
  served++;
  const body = `hello ${req.url.slice(1)} #${served}`; // @bp 1 2
  res.setHeader('content-type', 'text/plain');
  res.end(body);
});

function ask(names) {
  if (names.length === 0) {
    console.log('served', served);
    server.close(() => console.log('closed'));
    return;
  }
  const { port } = server.address();
  http.get({ host: '127.0.0.1', port, path: `/${names[0]}`, agent: false }, (res) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => (text += chunk));
    res.on('end', () => {
      console.log(`${res.statusCode} ${text}`);
      ask(names.slice(1));
    });
  });
}

server.listen(0, '127.0.0.1', () => ask(['ann', 'bob', 'cy']));
