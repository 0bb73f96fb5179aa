// ferry-refuse: an instance with private members (#balance)
// Private class fields cannot be attached to an object from outside its class: refused, named.
class Account {
  #balance = 0;
  deposit(n) { this.#balance += n; return this.#balance; }
}
const account = new Account();
console.log('opened', account.deposit(5));
setInterval(() => account.deposit(1), 1000);
