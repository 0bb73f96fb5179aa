// ferry-lines: 2,4
// ferry-here: 15#3
// underscore: a compiled template (underscore builds it with new Function), a memoized function,
// `_.after` and `_.once` closures and a chain, all held across the checkpoint.
const _ = require('underscore');
const fs = require('fs');
const row = _.template('<tr><td><%- name %></td><td><%= total %></td><% if (vip) { %><td>*</td><% } %></tr>');
let calls = 0;
const fib = _.memoize((n) => (calls++, n < 2 ? n : fib(n - 1) + fib(n - 2)));
const announce = _.once((n) => console.log('first vip at', n));
const done = _.after(6, () => console.log('all rows, fib calls', calls));
const people = ['ann', 'bob', 'cid', 'dee', 'eve', 'fay'];
let i = 0;
function step() {
  const name = people[i++];
  const total = fib(i * 5);
  const vip = total % 2 === 0;
  if (vip) announce(i);
  fs.appendFileSync('rows.html', row({ name: `<${name}>`, total, vip }) + '\n');
  console.log(i, name, total, _.chain(people).first(i).map((p) => p.toUpperCase()).value().join(''));
  done();
  if (i < people.length) setTimeout(step, 25);
}
setTimeout(step, 25);
