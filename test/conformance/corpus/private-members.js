// ferry-lines: 5,7
// Private class members: instance fields (objects, cycles, undefined), private methods and accessors
// (brands), static private fields, a subclass with its own, a class extending EventEmitter, an
// `#x in o` check, and constructors with side effects that must not run again on restore.
const { EventEmitter } = require('node:events');
let constructed = 0;
const nextId = () => { console.log('id given'); return ++constructed * 100; };
class Account {
  #id = nextId();
  #balance = 0;
  #history = [];
  #owner;
  static #opened = 0;
  label = 'acct';
  constructor(owner) { console.log('opening for', owner.name); this.#owner = owner; Account.#opened++; }
  #log(kind, n) { this.#history.push(`${kind}:${n}`); }
  get #summary() { return `${this.#id} ${this.#owner.name} ${this.#balance} [${this.#history.join(' ')}]`; }
  deposit(n) { this.#balance += n; this.#log('in', n); return this; }
  describe() { return this.#summary; }
  static opened() { return Account.#opened; }
  static isAccount(o) { return #balance in o; }
}
class Savings extends Account {
  #rate;
  constructor(owner, rate) { super(owner); this.#rate = rate; }
  accrue() { return this.deposit(Math.round(100 * this.#rate)); }
}
class Ticker extends EventEmitter {
  #ticks = 0;
  tick() { this.#ticks++; this.emit('tick', this.#ticks); }
}
const alice = { name: 'alice' };
const a = new Account(alice).deposit(5);
const s = new Savings({ name: 'bob' }, 0.25);
alice.account = a; // a cycle through a private field
const ticker = new Ticker();
let step = 0;
ticker.on('tick', (n) => {
  console.log(step, n, a.describe(), s.describe(), Account.opened(), constructed, Account.isAccount(s), Account.isAccount({}), a.label, Object.keys(s).join());
});
const iv = setInterval(() => {
  step++;
  a.deposit(step);
  s.accrue();
  ticker.tick();
  if (step === 6) {
    clearInterval(iv);
    const c = new Account({ name: 'carol' });
    console.log('new after restore:', c.describe(), Account.opened(), constructed, c instanceof Account);
  }
}, 60);
