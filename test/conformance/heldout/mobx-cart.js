// ferry-lines: 2,5
// ferry-here: 27#4
// mobx: an observable class store with a computed total, an autorun and a reaction, changed by
// actions from a timer chain. Breakpoint inside the autorun (mobx's reaction is on the stack).
const { makeAutoObservable, autorun, reaction, runInAction } = require('mobx');
class Cart {
  items = [];
  discount = 0;
  constructor() {
    makeAutoObservable(this);
  }
  get total() {
    return this.items.reduce((a, i) => a + i.price * i.qty, 0) * (1 - this.discount);
  }
  add(name, price, qty = 1) {
    const found = this.items.find((i) => i.name === name);
    if (found) found.qty += qty;
    else this.items.push({ name, price, qty });
  }
  setDiscount(d) {
    this.discount = d;
  }
}
const cart = new Cart();
const seen = [];
autorun(() => {
  seen.push(cart.items.length);
  console.log('items', cart.items.map((i) => `${i.name}:${i.qty}`).join(','), 'total', cart.total.toFixed(2));
});
reaction(
  () => cart.total > 20,
  (big) => console.log('big order?', big),
);
const steps = [
  () => cart.add('apple', 1.2, 3),
  () => cart.add('pear', 2.5),
  () => cart.add('melon', 9, 2),
  () => cart.setDiscount(0.1),
  () => cart.add('apple', 1.2, 2),
  () => runInAction(() => { cart.items.splice(1, 1); cart.setDiscount(0); }),
];
let k = 0;
function step() {
  if (k < steps.length) {
    steps[k++]();
    setTimeout(step, 25);
  } else console.log('autoruns', seen.join(' '));
}
setTimeout(step, 10);
