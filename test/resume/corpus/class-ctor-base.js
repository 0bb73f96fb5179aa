'use strict';
// A base-class constructor resumed mid-body; the `new` expression in the caller gets the object.
function label(i) { console.log('label', i); return 'item' + i; }
class Item {
  constructor(i) {
    this.id = i;
    this.name = label(i); // @bp 2 3
    this.ready = true;
  }
}
const items = [];
for (let i = 0; i < 4; i++) items.push(new Item(i));
console.log(JSON.stringify(items));
