'use strict';
// Default parameters and destructured parameters are function-level bindings.
function fmt(value, { prefix = '<', suffix = '>' } = {}, times = 2) {
  let s = '';
  for (let i = 0; i < times; i++) {
    s += prefix + value + suffix; // @bp 2 5
  }
  return s;
}
console.log(fmt('a'));
console.log(fmt('b', { prefix: '[' }, 3));
