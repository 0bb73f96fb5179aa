// ferry-lines: 2,4
// immutable.js: persistent Maps, Lists and Records sharing structure across versions of a history.
const { Map: IMap, List, Record } = require('immutable');
const Point = Record({ x: 0, y: 0 });
let history = List([IMap({ step: 0, at: Point() })]);
let n = 0;
const iv = setInterval(() => {
  n++;
  const last = history.last();
  const next = last.set('step', n).update('at', (p) => p.set('x', p.x + n).set('y', p.y - 1));
  history = history.push(next);
  console.log(n, JSON.stringify(next.toJS()), history.size, history.first() === history.get(0));
  if (n === 7) clearInterval(iv);
}, 200);
