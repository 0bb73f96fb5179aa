// ferry-lines: 1,4
// ferry-here: 25#4
// Two zustand stores of sensors, each fed through a throttled reporter (throttle-debounce),
// and an event bus (mitt) with memoized formatting (memoize-one).
const { createStore } = require('zustand/vanilla');
const { throttle } = require('throttle-debounce');
const mitt = require('mitt').default ?? require('mitt');
const memoizeOne = require('memoize-one').default ?? require('memoize-one');

const bus = mitt();
function sensor(unit) {
  const store = createStore((set) => ({ readings: 0, last: 0, push: (v) => set((s) => ({ readings: s.readings + 1, last: v })) }));
  const format = memoizeOne((value) => `${value.toFixed(1)}${unit}`);
  const report = throttle(0, (name) => bus.emit('report', `${name}: ${format(store.getState().last)} (${store.getState().readings})`));
  return { store, report };
}
const sensors = { inside: sensor('C'), outside: sensor('C') };
bus.on('report', (line) => console.log(line));
bus.on('*', (type) => { if (type !== 'report') console.log('event', type); });
const values = [21.5, 3.25, 21.75, 2.5, 22, 2.125, 22.5, 1.5];
let step = 0;
const timer = setInterval(() => {
  const name = step % 2 ? 'outside' : 'inside';
  sensors[name].store.getState().push(values[step]);
  sensors[name].report(name);
  if (++step === values.length) {
    clearInterval(timer);
    bus.emit('done');
  }
}, 200);
