// ferry-refuse: a fetch() Response whose body is not read yet
// A Response held before its body was read: the body would come over a connection Ferry does not
// carry. Refused by name; the program goes on.
import http from 'node:http';
import { once } from 'node:events';

const server = http.createServer((req, res) => res.end('later'));
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const held = { response: await fetch(`http://127.0.0.1:${server.address().port}/`) };
console.log('fetched', held.response.status);
setInterval(() => held.response.bodyUsed, 1000);
