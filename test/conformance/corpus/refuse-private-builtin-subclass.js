// ferry-refuse: a built-in Date made by a class with private members (#zone), which is not carried yet
// A Date subclass with a private field: its time and its private field would need both the Date
// constructor and the class (Map and Set subclasses are made that way; Date is not yet); refused by
// name rather than restored without one of them.
class ZonedDate extends Date {
  #zone = 'UTC';
  zone() { return this.#zone; }
}
const when = new ZonedDate(0);
console.log('zone', when.zone(), when.getTime());
setInterval(() => when.zone(), 1000);
