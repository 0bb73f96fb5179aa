'use strict';
// The resumed innermost frame throws at once; an outer restored frame catches it mid-loop.
function validate(x) {
  if (x < 0) throw new TypeError('negative: ' + x); // @bp 3 5
  return Math.sqrt(x);
}
function process(xs) {
  let ok = 0, bad = 0;
  for (const x of xs) {
    try {
      const r = validate(x);
      ok++;
      console.log('ok', x, r);
    } catch (e) {
      bad++;
      console.log('bad', e.message);
    } finally {
      console.log('checked', x);
    }
  }
  return `${ok}/${bad}`;
}
console.log(process([4, 9, -1, 16, -4, 25]));
