// ferry-lines: 2,4
// Methods that name private members keyed by what the restore cannot evaluate again, as undici
// writes them: `[kRun]()` reads a module's symbol no closure keeps (V8 gives it no context slot),
// `[util.inspect.custom]()` reads a property of a module object, `get [kState]()` / `static
// [kMake]()` the same. The restored class must have each method under its own key, with its own
// name, in its own place among its siblings, and make new instances that work the same; a static
// method the program deleted from the class stays deleted, and still reads the private field; an
// object's method written as a class's is not taken for it.
const util = require('util');
const kRun = Symbol('run');
const kState = Symbol('state');
const kMake = Symbol('make');
const names = { reset: 'reset' };
class Job {
  #runs = 0;
  #label;
  constructor(label) { this.#label = label; }
  [kRun]() { this.#runs++; return `${this.#label} ran ${this.#runs}`; }
  get [kState]() { return `${this.#label}:${this.#runs}`; }
  set [kState](runs) { this.#runs = runs; }
  [names.reset]() { this.#runs = 0; return this.#label; }
  [util.inspect.custom]() { return `Job<${this.#label} ${this.#runs}>`; }
  static [kMake](label) { return new this(label + '!'); }
  plain() { return this.#runs; }
  static peek(job) { return job.#label; }
}
// Taken out of its class, as undici does with Headers' accessors of its private fields.
const { peek } = Job;
delete Job.peek;
// The same text as a class's method, in the same scope: a method of its own, not the class's.
class Plain { describe() { return 'plain'; } }
const lookalike = { describe() { return 'plain'; } };
const job = Job[kMake]('build');
const run = Object.getOwnPropertySymbols(Job.prototype).find((s) => s.description === 'run');
let n = 0;
const iv = setInterval(() => {
  n++;
  console.log(job[run](), job[kState], util.inspect(job), job.plain());
  console.log(
    Reflect.ownKeys(Job.prototype).map(String).join(','),
    Reflect.ownKeys(Job).map(String).join(','),
    Job.prototype[run].name,
    Object.getOwnPropertyDescriptor(Job.prototype, kState).get.name,
    Job[kMake].name,
    Object.getOwnPropertyDescriptor(Job.prototype, run).enumerable,
    peek(job),
    'peek' in Job,
    lookalike.describe === Plain.prototype.describe,
  );
  if (n === 3) job[kState] = 10;
  if (n === 5) {
    clearInterval(iv);
    const fresh = new Job('fresh');
    console.log(fresh[run](), util.inspect(fresh), fresh.reset(), fresh[kState]);
  }
}, 20);
