'use strict';
// Object-literal methods called with a receiver; `this` is a restored plain object.
const cart = {
  items: [],
  total: 0,
  add(name, price) {
    this.items.push(name);
    this.total += price; // @bp 2 3
    console.log('added', name, this.total);
    return this;
  },
};
cart.add('tea', 3).add('milk', 2).add('bread', 4).add('jam', 5);
console.log(cart.items.join('+'), cart.total);
