// ferry-lines: 3,6
// ws: a WebSocket server and a client on loopback trading messages one at a time (each reply asks
// for the next), so the connection is open with the server's and the client's state at the checkpoint.
const WebSocket = require('ws');
const wss = new WebSocket.Server({ host: '127.0.0.1', port: 0 });
const rooms = new Map();
wss.on('connection', (socket) => {
  socket.on('message', (data) => {
    const { room, text } = JSON.parse(data);
    const log = rooms.get(room) || [];
    log.push(text);
    rooms.set(room, log);
    socket.send(JSON.stringify({ room, count: log.length, echo: text.toUpperCase() }));
  });
});
wss.on('listening', () => {
  const client = new WebSocket(`ws://127.0.0.1:${wss.address().port}`);
  let n = 0;
  const say = () => client.send(JSON.stringify({ room: n % 2 ? 'odd' : 'even', text: `msg ${++n}` }));
  client.on('open', () => { console.log('open'); say(); });
  client.on('message', (data) => {
    const reply = JSON.parse(data);
    console.log('reply', reply.room, reply.count, reply.echo);
    if (n < 8) setTimeout(say, 20);
    else client.close();
  });
  client.on('close', () => wss.close(() => console.log('closed', [...rooms.keys()].join(','))));
});
