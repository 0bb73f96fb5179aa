'use strict';
// A generator driven by explicit next(v) calls; the paused generator frame is inside next().
function* acc() {
  let total = 0;
  for (;;) {
    const v = yield total;
    if (v === undefined) return total;
    total += v; // @bp 2 3
    console.log('total', total);
  }
}
const it = acc();
it.next();
for (const v of [3, 5, 7, 9]) console.log('next ->', it.next(v).value);
console.log('done', it.next().value);
