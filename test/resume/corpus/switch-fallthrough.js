'use strict';
// switch resumed inside a case: falls through to the following cases like the original.
function act(s) { console.log('act', s); return s.length; }
function route(kind) {
  let log = '';
  switch (kind) {
    case 'a':
      log += 'A';
    case 'b': {
      const n = act('b-' + kind); // @bp 1 2
      log += n;
    }
    case 'c':
      log += 'C';
      break;
    default:
      log += act('default'); // @bp 1
  }
  return log;
}
for (const k of ['a', 'b', 'c', 'z']) console.log(k, route(k));
