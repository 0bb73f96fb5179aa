// ferry-lines: 2,4
// eventemitter3: a message bus with persistent and once listeners bound to a context object.
const EventEmitter = require('eventemitter3');
const bus = new EventEmitter();
const stats = { seen: 0, name: 'stats' };
bus.on('tick', function (n) { this.seen++; console.log('tick', n, this.name, this.seen); }, stats);
bus.once('tick', (n) => console.log('first tick only', n));
let n = 0;
const iv = setInterval(() => {
  n++;
  if (n === 3) bus.once('tick', (m) => console.log('once added at 3, fired at', m));
  bus.emit('tick', n);
  if (n === 6) { clearInterval(iv); console.log('listeners', bus.listenerCount('tick')); }
}, 200);
