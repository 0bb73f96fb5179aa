// ferry-refuse: worker threads and message channels cannot be carried
// A worker thread whose messages the program listens for keeps a MessagePort open, which never
// finishes by itself: refused at once, by name (not waited for until the idle timeout).
const { Worker } = require('node:worker_threads');
const worker = new Worker('setInterval(() => {}, 1000);', { eval: true });
worker.on('message', (m) => console.log('worker says', m));
console.log('started');
