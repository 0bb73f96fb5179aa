// ferry-lines: 2,4
// A loop awaiting timers/promises' setTimeout, calling fetch() on the program's own HTTP server
// between sleeps. fetch's keep-alive connection is closed from this end at the idle point and its
// connection pool left behind: the restored process makes a new one at its next fetch().
const http = require('http');
const { setTimeout: sleep } = require('timers/promises');
let hits = 0;
const server = http.createServer((req, res) => res.end(JSON.stringify({ hit: ++hits, url: req.url, n: req.headers['x-n'] })));
server.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  for (let i = 0; i < 6; i++) {
    const body = await (await fetch(`http://127.0.0.1:${port}/n/${i}`, { headers: { 'x-n': String(i * i) } })).json();
    console.log('fetched', body.hit, body.url, body.n);
    await sleep(100);
  }
  server.close();
});
