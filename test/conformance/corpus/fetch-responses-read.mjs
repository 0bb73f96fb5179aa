// ferry-lines: 1,2
// A polling loop of fetch() calls whose last Response stays in its variable while the loop awaits
// a timer: a Response whose body was read travels with its status, headers and URL, read already.
import http from 'node:http';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

let hits = 0;
const server = http.createServer((req, res) => {
  hits++;
  res.setHeader('content-type', 'application/json');
  res.setHeader('x-hit', String(hits));
  // No keep-alive: between polls nothing is in flight, whenever the checkpoint comes.
  res.setHeader('connection', 'close');
  res.end(JSON.stringify({ status: hits < 4 ? 'pending' : 'done', hits }));
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const url = `http://127.0.0.1:${server.address().port}/job`;
let res;
let state;
do {
  res = await fetch(url);
  state = await res.json();
  // A wide quiet gap between polls: the idle checkpoint looks for a point with nothing in flight.
  await sleep(150);
  const path = new URL(res.url).pathname;
  console.log('poll', state.hits, state.status, res.status, res.headers.get('x-hit'), path, res.bodyUsed, res.type);
} while (state.status !== 'done');
server.close();
console.log('finished after', hits);
