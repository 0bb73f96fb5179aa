// ferry-refuse: lookup: an array or built-in object inheriting from a proxy
// A Map whose prototype is a proxy: its entries would be read through the proxy's traps (they
// run the program's code), so it is refused by path, and no trap runs during the checkpoint.
const traced = new Proxy(Map.prototype, {
  get(target, key, receiver) {
    console.log('trap ran');
    return Reflect.get(target, key, receiver);
  },
});
const state = { lookup: Object.setPrototypeOf(new Map([['a', 1]]), traced) };
console.log('waiting');
setInterval(() => state.lookup, 1000);
