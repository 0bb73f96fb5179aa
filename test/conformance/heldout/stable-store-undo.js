// ferry-lines: 3,7
// ferry-here: 25#4
// safe-stable-stringify + fast-deep-equal + yallist: a document store with undo, built on an
// EventEmitter subclass; actions are dispatched one per immediate/timer, listeners persist each
// distinct state (stable JSON, cycles allowed) to a journal and keep the last states in a Yallist.
const { EventEmitter } = require('events');
const stringify = require('safe-stable-stringify');
const equal = require('fast-deep-equal');
const Yallist = require('yallist');
const fs = require('fs');

class Store extends EventEmitter {
  #state;
  constructor(initial, { keep = 3 } = {}) {
    super();
    this.#state = initial;
    this.history = new Yallist();
    this.keep = keep;
  }
  get state() {
    return this.#state;
  }
  dispatch(reducer, label) {
    const next = reducer(structuredClone(this.#state));
    if (equal(next, this.#state)) return this.emit('noop', label);
    this.history.push(this.#state);
    if (this.history.length > this.keep) this.history.shift();
    this.#state = next;
    this.emit('change', next, label);
  }
  undo() {
    if (!this.history.length) return false;
    this.#state = this.history.pop();
    this.emit('change', this.#state, 'undo');
    return true;
  }
}

const store = new Store({ title: 'Plan', items: [], meta: { rev: 0 } });
store.on('change', (state, label) => {
  const entry = { label, state };
  entry.self = entry; // a cycle: safe-stable-stringify writes it as [Circular]
  const line = stringify(entry, null, 0);
  fs.appendFileSync('journal.ndjson', line + '\n');
  console.log(`${label}: ${state.items.length} item(s), history ${store.history.length}`);
});
store.on('noop', (label) => console.log(`${label}: no change`));

const add = (text) => (s) => ({ ...s, items: [...s.items, { text, done: false }] });
const toggle = (i) => (s) => ((s.items[i].done = !s.items[i].done), s);
const actions = [
  () => store.dispatch(add('buy milk'), 'add milk'),
  () => store.dispatch(add('call mum'), 'add call'),
  () => store.dispatch((s) => s, 'identity'),
  () => store.dispatch(toggle(0), 'toggle 0'),
  () => store.dispatch(add('fix bike'), 'add bike'),
  () => store.undo(),
  () => store.dispatch((s) => ({ ...s, title: 'Weekend' }), 'rename'),
  () => store.undo() && store.undo(),
  () => store.dispatch(add('rest'), 'add rest'),
];
let at = 0;
(function step() {
  actions[at++]();
  if (at < actions.length) (at % 2 ? setImmediate : (fn) => setTimeout(fn, 10))(step);
  else console.log('final', stringify(store.state));
})();
