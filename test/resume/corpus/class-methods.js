'use strict';
// Methods with `this` resumed on a restored instance.
class Account {
  constructor(owner) { this.owner = owner; this.balance = 0; this.log = []; }
  deposit(n) {
    this.balance += n;
    this.log.push('+' + n); // @bp 2 4
    return this.balance;
  }
  report() { return `${this.owner}: ${this.balance} (${this.log.join(' ')})`; }
}
const acct = new Account('ann');
for (const n of [5, 10, 20, 40, 80]) console.log(acct.deposit(n));
console.log(acct.report());
