// ferry-lines: 2,4
// Minified code names its functions `$h`, `$e`, `Ka` (prettier's markdown plugin has a top-level
// `function $h`, and `Ka = class extends Error`). The restore makes the program's functions inside
// a scope of its own helpers; a program name among them must neither hide a helper (a class with
// `extends` is made through one) nor be hidden by one.
var Ka = class extends Error {
  name = 'InvalidDocError';
  constructor(t) {
    super($h(t, 'doc')), (this.doc = t);
  }
};
function $h(e, t) {
  return `${t}: ${JSON.stringify(e)}`;
}
var $ferry = (e) => e * 2;
var yt = Ka;
let n = 0;
const timer = setInterval(() => {
  try {
    throw new yt({ step: ++n, twice: $ferry(n) });
  } catch (e) {
    console.log(e.name, e.message, e instanceof Error);
  }
  if (n === 5) clearInterval(timer);
}, 10);
