// ferry-lines: 2,4
// express: an app with routes, middleware and state, asked by its own client between checkpoints.
const express = require('express');
const http = require('http');
const app = express();
const seen = [];
app.use((req, res, next) => { seen.push(req.path); next(); });
app.get('/count/:n', (req, res) => res.json({ n: Number(req.params.n), seen: seen.length }));
const server = app.listen(0, '127.0.0.1', () => console.log('listening'));
let n = 0;
function ask() {
  http.get({ port: server.address().port, host: '127.0.0.1', path: `/count/${++n}`, agent: false }, (res) => {
    let body = '';
    res.on('data', (d) => (body += d));
    res.on('end', () => {
      console.log('response', res.statusCode, body);
      if (n < 6) setTimeout(ask, 200);
      else server.close(() => console.log('closed'));
    });
  });
}
setTimeout(ask, 60);
