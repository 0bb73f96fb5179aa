// ferry-refuse: a built-in Map made by a class with private members (#hits), which is not carried yet
// A Map subclass with a private field: its entries and its private field would need both the Map
// constructor and the class; refused by name rather than restored without one of them.
class Registry extends Map {
  #hits = 0;
  hit(key) { this.#hits++; return this.get(key); }
}
const registry = new Registry([['a', 1]]);
console.log('registry', registry.hit('a'));
setInterval(() => registry.hit('a'), 1000);
