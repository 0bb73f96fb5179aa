// ferry-lines: 2,5
// An HTTP client on an http.Agent of the program's own (keep-alive, one socket), which a closure
// holds: the listeners the Agent's constructor puts on it (`free`, over the agent, and `newListener`)
// are Node's, made again on the restored agent; the program's own `free` listener sits beside them.
// Between requests the agent lists a free socket, which the checkpoint closes (and the agent forgets).
const http = require('http');
const server = http.createServer((req, res) => res.end(`page ${req.url}`));
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let freed = 0;
agent.on('free', () => freed++);
let n = 0;
function ask() {
  http.get({ host: '127.0.0.1', port: server.address().port, path: `/p${++n}`, agent }, (res) => {
    let body = '';
    res.on('data', (d) => (body += d));
    res.on('end', () => {
      console.log(body, 'busy', Object.keys(agent.sockets).length, 'freed before', freed);
      if (n < 7) setTimeout(ask, 40);
      else {
        agent.destroy();
        server.close(() => console.log('done', agent.listenerCount('free')));
      }
    });
  });
}
server.listen(0, '127.0.0.1', ask);
