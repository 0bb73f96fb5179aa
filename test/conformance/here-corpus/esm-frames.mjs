// Checkpoint Here inside ES module functions: frames whose closures live in module scope, an
// imported helper, a class method; resumed without re-running the module's top level (which is
// not on the stack: a module's top level cannot be re-entered, and is refused by name).
import { pad } from './esm-frames/pad.mjs';

class Ledger {
  constructor() { this.entries = []; }
  add(amount) {
    const entry = { n: this.entries.length + 1, amount };
    this.entries.push(entry); // @bp 2 5
    return entry.n;
  }
}

const ledger = new Ledger();
let balance = 0;
function post(amounts) {
  for (const amount of amounts) {
    balance += amount;
    const n = ledger.add(amount);
    console.log(`#${pad(n)} ${amount} -> ${balance}`);
  }
}
setTimeout(() => {
  post([5, 10, 20, 40, 80, 160]);
  console.log('entries', ledger.entries.length, 'balance', balance);
}, 10);
