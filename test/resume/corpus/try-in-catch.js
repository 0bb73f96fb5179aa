'use strict';
// Resumed inside a catch block: the caught value is restored; finally still runs.
function report(e) { console.log('report', e.code); return e.code * 2; }
function guard(i) {
  try {
    if (i > 1) throw { code: i };
    return i;
  } catch (err) {
    const r = report(err); // @bp 1 2
    console.log('handled', r);
    return r;
  } finally {
    console.log('finally', i);
  }
}
for (let i = 0; i < 4; i++) console.log('guard', guard(i));
