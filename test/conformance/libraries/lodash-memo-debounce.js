// ferry-lines: 2,4
// lodash: a memoized function's cache, a chain of collection helpers, and a debounced writer whose
// pending call (a timer lodash owns) crosses the checkpoint.
const _ = require('lodash');
let computed = 0;
const slowSquare = _.memoize((n) => (computed++, n * n));
const flush = _.debounce((batch) => console.log('flushed', batch.join('+')), 150);
const pending = [];
let tick = 0;
const iv = setInterval(() => {
  tick++;
  const squares = _.range(1, tick + 2).map(slowSquare);
  console.log(tick, _.sum(squares), 'computed', computed, _.chunk(squares, 2).length);
  pending.push(tick);
  if (tick % 3 === 0) flush(pending.splice(0));
  if (tick === 7) { clearInterval(iv); flush.flush(); }
}, 200);
