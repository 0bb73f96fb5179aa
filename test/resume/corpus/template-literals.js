'use strict';
// Pending call inside a template literal whose earlier parts are plain reads.
function up(s) { console.log('up', s); return s.toUpperCase(); } // @bp 2 3
function greet(names) {
  const lines = [];
  for (const n of names) {
    const title = 'dear';
    lines.push(`${title} ${n}: ${up(n)} (${n.length})`);
  }
  return lines.join('\n');
}
console.log(greet(['ann', 'bob', 'cy', 'dee']));
