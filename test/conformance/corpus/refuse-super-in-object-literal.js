// ferry-refuse: an object-literal method that uses `super`
// An object-literal method's `super` needs its home object, which is not carried yet.
const base = { greet() { return 'hi'; } };
const derived = { __proto__: base, greet() { return `${super.greet()} there`; } };
console.log(derived.greet());
setInterval(() => derived.greet(), 1000);
