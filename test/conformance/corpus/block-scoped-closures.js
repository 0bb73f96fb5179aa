// ferry-lines: 1,3
// Closures over variables of a block (an `if`, a `for` body), as libraries write them (ws's server
// keeps `const emitConnection = this.emit.bind(...)` in an `if` of its constructor, and an arrow
// reading it and `this`). V8's heap snapshot leaves a block's slots unnamed: they are told by value.
const EventEmitter = require('events');

class Server extends EventEmitter {
  constructor(port) {
    super();
    this.port = port;
    if (port > 0) {
      const emitConnection = this.emit.bind(this, 'connection');
      const seen = { count: 0 };
      this.upgrade = (id) => {
        seen.count++;
        this.accept(id, seen.count, emitConnection);
      };
    }
  }
  accept(id, count, done) {
    done(`${id} on ${this.port} (#${count})`);
  }
}

// Two counters with equal values: only the heap snapshot tells them apart.
const counters = [];
for (const name of ['a', 'b']) {
  const state = { name, n: 0 };
  counters.push({ inc: () => ++state.n, read: () => `${state.name}=${state.n}` });
}

const server = new Server(8080);
server.on('connection', (what) => console.log(`connection ${what} ${counters.map((c) => c.read()).join(' ')}`));
let step = 0;
const timer = setInterval(() => {
  step++;
  if (step > 1) counters[0].inc();
  server.upgrade(`client${step}`);
  if (step === 6) clearInterval(timer);
}, 60);
