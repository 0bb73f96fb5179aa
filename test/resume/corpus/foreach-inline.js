'use strict';
// The breakpoint is inside the inline forEach callback itself.
function main(rows) {
  let total = 0;
  rows.forEach((row, i) => {
    total += row.length; // @bp 2 4
    console.log('row', i, row, total);
  });
  return total;
}
console.log(main(['a', 'bb', 'ccc', 'dddd', 'eeeee']));
