// ferry-lines: 2,5
// Map and Set subclasses with private members (QuickLRU's shape: `class QuickLRU extends Map`
// with #cache, #oldCache, #maxSize): made again by their class, so the instance is a real Map or
// Set with its brand and private fields, then given its entries by the built-in's own methods
// (the class overrides set and add, which must not run at restore). LruMap reports a tag of its
// own, as QuickLRU does: what it is comes from its internal slot.
class LruMap extends Map {
  #max;
  #hits = 0;
  #evicted = [];
  constructor(max) {
    super();
    this.#max = max;
  }
  set(key, value) {
    super.delete(key);
    super.set(key, value);
    if (this.size > this.#max) {
      const oldest = this.keys().next().value;
      this.#evicted.push(oldest);
      super.delete(oldest);
    }
    return this;
  }
  get(key) {
    if (this.has(key)) this.#hits++;
    return super.get(key);
  }
  get stats() {
    return `hits=${this.#hits} evicted=${this.#evicted.join('') || '-'}`;
  }
  get [Symbol.toStringTag]() {
    return 'LruMap';
  }
}
class TagSet extends Set {
  #adds = 0;
  add(value) {
    this.#adds++;
    return super.add(value.toLowerCase());
  }
  get adds() {
    return this.#adds;
  }
}
const cache = new LruMap(3);
const tags = new TagSet();
tags.add('Seed');
const keys = 'abcadbeacf';
let n = 0;
const timer = setInterval(() => {
  const key = keys[n];
  const hit = cache.get(key);
  if (hit === undefined) cache.set(key, key.toUpperCase() + n);
  tags.add(n % 2 ? key : key.toUpperCase());
  console.log(key, hit ?? 'miss', [...cache].join(' '), cache.stats, [...tags].join(''), tags.adds, `${cache}`);
  if (++n === keys.length) clearInterval(timer);
}, 20);
