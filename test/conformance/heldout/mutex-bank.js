// ferry-lines: 1,3
// ferry-here: 19#2
// Transfers between accounts, serialised by an async-mutex; every transfer is announced on an
// EventEmitter2 bus with wildcard listeners that keep an audit trail.
const { Mutex } = require('async-mutex');
const { EventEmitter2 } = require('eventemitter2');

const bus = new EventEmitter2({ wildcard: true });
const accounts = { ana: 100, bo: 50, cy: 0 };
const audit = [];
bus.on('transfer.*', function (amount) {
  audit.push(`${this.event}:${amount}`);
});
const lock = new Mutex();
async function transfer(from, to, amount) {
  await lock.runExclusive(async () => {
    await new Promise((resolve) => setTimeout(resolve, 15));
    if (accounts[from] < amount) return bus.emit('transfer.refused', amount);
    accounts[from] -= amount;
    accounts[to] += amount;
    bus.emit('transfer.done', amount);
  });
  console.log(from, '->', to, amount, JSON.stringify(accounts), audit.length);
}
const plan = [['ana', 'bo', 30], ['bo', 'cy', 70], ['cy', 'ana', 100], ['ana', 'cy', 20], ['bo', 'ana', 10]];
Promise.all(plan.map((t) => transfer(...t))).then(() => console.log(audit.join(' ')));
