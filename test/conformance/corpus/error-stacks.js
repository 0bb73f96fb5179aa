// ferry-lines: 2,4
// ferry-stderr: tail
// Error stacks after the restore name the program's file, line and column, as in a run never
// interrupted: err.stack, new Error().stack and console.trace() (on stderr) of errors created in
// functions made before the checkpoint: a closure, class methods, arrows sharing a line, nested functions.
const trace = (label, f) => {
  try {
    f();
  } catch (error) {
    console.log(label, error.stack);
  }
};

function makeCounter(name) {
  let count = 0;
  return function bump() {
    count++;
    if (count % 2 === 0) throw new Error(`${name} even at ${count}`);
    return count;
  };
}

class Ledger {
  constructor() { this.entries = []; }
  add(amount) {
    if (amount < 0) throw new RangeError(`negative amount ${amount}`);
    this.entries.push(amount);
  }
  get total() { return new Error('total read').stack; }
  static check(value) { return value.missing.field; }
}

const double = (x) => x * 2, fail = (x) => { throw new TypeError(`bad ${x}`); }, here = () => new Error('here').stack;

function outer(depth) {
  function inner(n) {
    if (n === 0) throw new Error('bottom');
    return inner(n - 1);
  }
  return inner(depth);
}

const counter = makeCounter('ticks');
const ledger = new Ledger();
let step = 0;
const timer = setInterval(() => {
  step++;
  console.log(`step ${step}`, double(step));
  trace('counter', () => { counter(); counter(); });
  trace('ledger', () => ledger.add(-step));
  console.log('getter', ledger.total);
  trace('static', () => Ledger.check({}));
  trace('arrow', () => fail(step));
  console.log('here', here());
  trace('nested', () => outer(2));
  console.trace('traced at step', step);
  if (step === 6) clearInterval(timer);
  // Steps far apart: on a loaded machine the oracle's stop after a few lines may come late, and
  // must still find steps left to restore.
}, 250);
