'use strict';
// Checkpoint Here inside an HTTP server's 'request' listener, while the program's own client
// waits for the answer. The request's connection cannot move: Ferry steps the program on to its
// next idle point, once the answer has gone (a pause between requests), and takes it there.
// Requests go one after another (the next one 200 ms after the previous answer has ended: the
// connection has closed by then, and Ferry finds the program idle).
const http = require('node:http');

let served = 0;
const server = http.createServer(function handle(req, res) {
  served++;
  const body = `hello ${req.url.slice(1)} #${served}`; // @bp 1 2 @to idle
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
      setTimeout(ask, 200, names.slice(1));
    });
  });
}

server.listen(0, '127.0.0.1', () => ask(['ann', 'bob', 'cy']));
