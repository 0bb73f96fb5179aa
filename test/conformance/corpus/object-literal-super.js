// ferry-lines: 2,4
// Object-literal methods, getters and setters using `super`: their home object is carried, so
// after a restore `super` still looks up (and assigns through) the home object's prototype, also
// after the program changes that prototype.
const base = {
  greet() { return 'hi'; },
  get size() { return 1; },
  set label(v) { this._label = `base:${v}`; },
};
const other = { greet() { return 'hey'; }, get size() { return 100; } };
let round = 0;
const derived = {
  __proto__: base,
  greet() { return `${super.greet()} there (${round})`; },
  get size() { return super.size + 10; },
  set label(v) { super.label = v.toUpperCase(); },
};
const iv = setInterval(() => {
  round++;
  derived.label = `r${round}`;
  console.log(round, derived.greet(), derived.size, derived._label);
  if (round === 4) Object.setPrototypeOf(derived, other);
  if (round === 6) clearInterval(iv);
}, 90);
