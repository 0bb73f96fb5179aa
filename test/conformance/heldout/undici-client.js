// ferry-lines: 2,4
// undici: a local HTTP server asked by undici's request() one request at a time (each response
// schedules the next); the client's pool and the server's state cross the checkpoint.
const http = require('http');
const { request, Agent } = require('undici');
let served = 0;
const server = http.createServer((req, res) => {
  served++;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ path: req.url, served }));
});
const agent = new Agent({ keepAliveTimeout: 10, pipelining: 0 });
server.listen(0, '127.0.0.1', async () => {
  const base = `http://127.0.0.1:${server.address().port}`;
  for (let i = 1; i <= 6; i++) {
    const { statusCode, body } = await request(`${base}/item/${i}`, { dispatcher: agent, reset: true });
    const data = await body.json();
    console.log(i, statusCode, data.path, data.served);
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  await agent.close();
  server.close(() => console.log('closed'));
});
