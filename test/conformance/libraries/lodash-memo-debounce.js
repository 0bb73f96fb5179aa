// ferry-lines: 2,4
// ferry-refused-restoring-on: 23 uses built-ins that this Node
// lodash: a memoized function's cache, a chain of collection helpers, and a debounced writer whose
// pending call (a timer lodash owns) crosses the checkpoint. Its wait is far from the interval's (30 ms against
// 250 ms): a first callback slowed by a loaded machine must not reorder them.
const _ = require('lodash');
let computed = 0;
const slowSquare = _.memoize((n) => (computed++, n * n));
const flush = _.debounce((batch) => console.log('flushed', batch.join('+')), 30);
const pending = [];
let tick = 0;
const iv = setInterval(() => {
  tick++;
  const squares = _.range(1, tick + 2).map(slowSquare);
  console.log(tick, _.sum(squares), 'computed', computed, _.chunk(squares, 2).length);
  pending.push(tick);
  if (tick % 3 === 0) flush(pending.splice(0));
  if (tick === 7) { clearInterval(iv); flush.flush(); }
}, 250);
