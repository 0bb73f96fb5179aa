// ferry-lines: 1,3
// What programs add to Node's built-ins and set there: a polyfill on Array.prototype, a colour
// getter on String.prototype (as @colors/colors defines them), app state hung on `process`, a helper
// on a module's exports, a symbol the program made under Symbol (symbol-observable does), and
// settings (Error.stackTraceLimit, Buffer.poolSize, EventEmitter.defaultMaxListeners, and on Node's
// objects behind getters: util.inspect.defaultOptions.depth, http.globalAgent.maxSockets). A fresh
// process has none of them: the restore makes each again, or the program would throw or print other
// values.
const os = require('os');
const events = require('events');
const http = require('http');
const util = require('util');
Object.defineProperty(String.prototype, 'green', {
  get() {
    return `\x1b[32m${this}\x1b[39m`;
  },
  configurable: true,
});
Array.prototype.last = function last() {
  return this[this.length - 1];
};
process.appState = { started: 'yes', count: 0 };
os.describe = (n) => `n=${n}`;
if (!Symbol.observable) Symbol.observable = Symbol('observable');
const observableKey = Symbol.observable;
Error.stackTraceLimit = 3;
Buffer.poolSize = 4096;
events.defaultMaxListeners = 25;
util.inspect.defaultOptions.depth = 0;
http.globalAgent.maxSockets = 7;
const seen = [];
const stackDepth = (n) => (n === 0 ? new Error('deep').stack.split('\n').length - 1 : stackDepth(n - 1));
let step = 0;
const timer = setInterval(() => {
  step++;
  process.appState.count += step;
  seen.push(step * 2);
  const settings = `${stackDepth(6)} ${Buffer.poolSize} ${events.defaultMaxListeners} ${http.globalAgent.maxSockets}`;
  const inspected = util.inspect({ nested: { deeper: step } });
  const added = `${seen.last()} ${'ok'.green} ${process.appState.count} ${os.describe(step)}`;
  console.log(`step ${step}: ${added} ${Symbol.observable === observableKey} ${settings} ${inspected}`);
  if (step === 5) clearInterval(timer);
}, 20);
