'use strict';
// break inside a switch inside a resumed loop leaves the switch; continue goes to the loop.
function op(c) { return c.charCodeAt(0); }
function lex(text) {
  const out = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    switch (c) {
      case ' ': continue;
      case '+': case '-':
        out.push('op' + op(c)); // @bp 1 2
        break;
      default:
        out.push(c);
    }
    console.log('tok', i, out.length);
  }
  return out.join(' ');
}
console.log(lex('a + b - c'));
